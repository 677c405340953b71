package dev.strata.core.ast;

import java.util.List;
import java.util.OptionalLong;

/**
 * A whole query: what each hit returns, an optional filter (absent means every document), an
 * optional expression that sets {@code _score}, sort keys, and paging.
 *
 * @param filter the WHERE part, or null to match every document
 * @param score the expression after {@code SET _score =}, or null for the default score 1.0
 * @param select the SELECT list, or null for the whole stored source of each hit
 * @param groupBy the GROUP BY keys, empty when the query does not group
 */
public record Query(Expr filter, Expr score, List<OrderKey> orderBy, OptionalLong limit, long offset, Select select,
                    List<Expr> groupBy) {
    public Query {
        orderBy = List.copyOf(orderBy);
        groupBy = List.copyOf(groupBy);
        if (offset < 0) throw new IllegalArgumentException("negative offset");
    }

    /** A query without GROUP BY. */
    public Query(Expr filter, Expr score, List<OrderKey> orderBy, OptionalLong limit, long offset, Select select) {
        this(filter, score, orderBy, limit, offset, select, List.of());
    }

    /**
     * True when the query answers with groups rather than hits: it has GROUP BY, or its SELECT list
     * holds an aggregate (then all matches are one group).
     */
    public boolean grouped() {
        return !groupBy.isEmpty() || select != null && select.items().stream().anyMatch(i -> i.expr() instanceof Expr.Aggregate);
    }

    /** A query without a SELECT list: each hit returns its whole source. */
    public Query(Expr filter, Expr score, List<OrderKey> orderBy, OptionalLong limit, long offset) {
        this(filter, score, orderBy, limit, offset, null);
    }

    public record OrderKey(Expr expr, boolean descending) {}

    /**
     * {@code SELECT *, a, price * qty AS total}: {@code source} when {@code *} is in the list (the
     * whole stored source comes back beside the items), and the items with the names they come
     * back under.
     */
    public record Select(boolean source, List<Item> items) {
        public Select {
            items = List.copyOf(items);
        }
    }

    /** One SELECT item: an expression and its name in the reply ({@code AS name}, or the text as written). */
    public record Item(Expr expr, String name) {}
}
