package dev.strata.core.ast;

import java.util.List;
import java.util.OptionalLong;

/**
 * A whole query: an optional filter (absent means every document), an optional expression that
 * sets {@code _score}, sort keys, and paging.
 *
 * @param filter the WHERE part, or null to match every document
 * @param score the expression after {@code SET _score =}, or null for the default score 1.0
 */
public record Query(Expr filter, Expr score, List<OrderKey> orderBy, OptionalLong limit, long offset) {
    public Query {
        orderBy = List.copyOf(orderBy);
        if (offset < 0) throw new IllegalArgumentException("negative offset");
    }

    public record OrderKey(Expr expr, boolean descending) {}
}
