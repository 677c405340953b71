package dev.strata.node.plan;

import dev.strata.core.ast.AggregateFunction;
import dev.strata.core.spi.CompiledValue;
import dev.strata.core.value.FieldPath;
import java.util.List;

/**
 * How a grouped query (GROUP BY, or an aggregate in SELECT) turns its matches into rows, compiled
 * once with the plan: the group keys, the aggregates, the reply's columns and the rows' order.
 *
 * @param keys the GROUP BY keys, in order (empty: all matches are one group)
 * @param aggregates each distinct aggregate the query names, SELECT's and ORDER BY's
 * @param columns the reply's columns in SELECT order
 * @param order the rows' order: ORDER BY's keys, then every group key ascending (so rows never tie)
 */
public record Grouping(List<Key> keys, List<Aggregate> aggregates, List<Column> columns, List<Order> order) {
    public Grouping {
        keys = List.copyOf(keys);
        aggregates = List.copyOf(aggregates);
        columns = List.copyOf(columns);
        order = List.copyOf(order);
    }

    /**
     * A value read for a group key or an aggregate: a bare field reads every element the field
     * holds (an array's too), anything else is a value the tier computes (an array inside it reads
     * its first element, as elsewhere).
     *
     * @param field the bare field, or null for a computed value
     * @param value the computed value, or null for a field
     */
    public record Input(FieldPath field, CompiledValue value) {}

    /** One GROUP BY key, named as written. */
    public record Key(String text, Input input) {}

    /**
     * One aggregate: {@code input} null for {@code COUNT(*)}.
     *
     * @param text the aggregate as printed, which identifies it among SELECT's and ORDER BY's
     */
    public record Aggregate(AggregateFunction function, boolean distinct, Input input, String text) {}

    /** A reply column: group key {@code index} or aggregate {@code index}, under {@code name}. */
    public record Column(String name, boolean key, int index) {}

    /** One sort key of the rows: group key or aggregate {@code index}. */
    public record Order(boolean key, int index, boolean descending) {}
}
