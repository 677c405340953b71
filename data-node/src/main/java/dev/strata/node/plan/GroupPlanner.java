package dev.strata.node.plan;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.AggregateFunction;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.ast.Span;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.ValueCompiler;
import dev.strata.core.value.ValueKind;
import dev.strata.parser.QueryPrinter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Plans a grouped query's keys, aggregates, columns and order (see {@link Grouping}), with the
 * SQL rules: every SELECT item is a GROUP BY key or an aggregate, ORDER BY names a key, an
 * aggregate or a SELECT name, and nothing ranks groups by {@code _score}. Expressions compare
 * as written (positions aside), so {@code lower(brand)} in SELECT is the key {@code lower(brand)}.
 */
final class GroupPlanner {
    private final Query q;
    private final CompileContext ctx;
    private final ValueCompiler values;
    private final List<Expr> keyExprs;
    private final List<Grouping.Key> keys = new ArrayList<>();
    private final List<Expr.Aggregate> aggregateExprs = new ArrayList<>();
    private final List<Grouping.Aggregate> aggregates = new ArrayList<>();

    private GroupPlanner(Query q, CompileContext ctx, ValueCompiler values) {
        this.q = q;
        this.ctx = ctx;
        this.values = values;
        this.keyExprs = q.groupBy();
    }

    static Grouping plan(Query q, CompileContext ctx, ValueCompiler values) {
        return new GroupPlanner(q, ctx, values).plan();
    }

    private Grouping plan() {
        if (q.score() != null) {
            throw error(ErrorCode.UNSUPPORTED, "SET _score ranks hits, but a grouped query returns groups; order them by an"
                    + " aggregate instead, as in ORDER BY COUNT(*) DESC", q.score().span());
        }
        for (Expr k : keyExprs) keys.add(new Grouping.Key(QueryPrinter.print(k), input(k)));
        List<Grouping.Column> columns = new ArrayList<>();
        if (q.select() == null) { // GROUP BY alone: each key and how many documents it has
            for (int i = 0; i < keys.size(); i++) columns.add(new Grouping.Column(keys.get(i).text(), true, i));
            Expr.Aggregate count = new Expr.Aggregate(AggregateFunction.COUNT, null, false, Span.NONE);
            columns.add(new Grouping.Column("count", false, aggregate(count)));
        } else {
            if (q.select().source()) {
                throw error(ErrorCode.UNSUPPORTED, "SELECT * returns whole documents, but a grouped query returns one row per group;"
                        + " list its GROUP BY keys and aggregates instead", q.select().items().isEmpty() ? Span.NONE
                        : q.select().items().get(0).expr().span());
            }
            for (Query.Item item : q.select().items()) columns.add(column(item));
        }
        List<Grouping.Order> order = new ArrayList<>();
        for (Query.OrderKey k : q.orderBy()) order.add(orderKey(k, columns));
        for (int i = 0; i < keys.size(); i++) {
            final int key = i;
            if (order.stream().noneMatch(o -> o.key() && o.index() == key)) order.add(new Grouping.Order(true, i, false));
        }
        return new Grouping(keys, aggregates, columns, order);
    }

    private Grouping.Column column(Query.Item item) {
        if (item.expr() instanceof Expr.Aggregate a) return new Grouping.Column(item.name(), false, aggregate(a));
        int key = keyExprs.indexOf(item.expr());
        if (key < 0) {
            throw error(ErrorCode.UNSUPPORTED, "'" + QueryPrinter.print(item.expr()) + "' is neither a GROUP BY key nor an aggregate;"
                    + " group by it, or take an aggregate of it such as MIN(" + QueryPrinter.print(item.expr()) + ")", item.expr().span());
        }
        return new Grouping.Column(item.name(), true, key);
    }

    private Grouping.Order orderKey(Query.OrderKey k, List<Grouping.Column> columns) {
        Expr e = k.expr();
        if (e instanceof Expr.Field f && f.path().isKeysOnly()) { // a SELECT name first: ORDER BY n where COUNT(*) AS n
            String name = QueryPrinter.print(e);
            for (Grouping.Column c : columns) if (c.name().equals(name)) return new Grouping.Order(c.key(), c.index(), k.descending());
        }
        if (e instanceof Expr.Aggregate a) return new Grouping.Order(false, aggregate(a), k.descending());
        int key = keyExprs.indexOf(e);
        if (key < 0) {
            throw error(ErrorCode.UNSUPPORTED, "a grouped query is ordered by its GROUP BY keys, its aggregates or its SELECT names;"
                    + " '" + QueryPrinter.print(e) + "' is none of them", e.span());
        }
        return new Grouping.Order(true, key, k.descending());
    }

    /** The index of aggregate {@code a}, compiled the first time the query names it. */
    private int aggregate(Expr.Aggregate a) {
        int i = aggregateExprs.indexOf(a);
        if (i >= 0) return i;
        if ((a.function() == AggregateFunction.SUM || a.function() == AggregateFunction.AVG)
                && a.argument() instanceof Expr.Field f && f.path().isKeysOnly()) {
            Set<ValueKind> kinds = ctx.schema().kindsOf(f.path());
            if (!kinds.isEmpty() && !kinds.contains(ValueKind.INT) && !kinds.contains(ValueKind.FLOAT)) {
                throw error(ErrorCode.TYPE_MISMATCH, a.function().sql() + " needs numbers, but the field '" + QueryPrinter.print(f)
                        + "' holds no number in any document (" + kinds.stream().map(ValueKind::display).sorted().toList() + ")", f.span());
            }
        }
        aggregateExprs.add(a);
        aggregates.add(new Grouping.Aggregate(a.function(), a.distinct(), a.argument() == null ? null : input(a.argument()),
                QueryPrinter.print(a)));
        return aggregateExprs.size() - 1;
    }

    private Grouping.Input input(Expr e) {
        if (e instanceof Expr.Field f && f.path().isKeysOnly()) {
            values.compileSortKey(e, ctx); // the field's typo and shape checks, as anywhere else
            return new Grouping.Input(f.path(), null);
        }
        return new Grouping.Input(null, values.compileSortKey(e, ctx));
    }

    private QueryException error(ErrorCode code, String reason, Span span) {
        return new QueryException(code, reason, ctx.queryText(), span);
    }
}
