package dev.strata.node.plan;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.Schema;
import dev.strata.core.spi.CompiledClause;
import dev.strata.core.spi.CompiledValue;
import java.util.List;

/**
 * A query compiled for one schema: computed once, cached by query text, reused by every
 * execution until the collection's schema changes.
 *
 * @param index     the candidate bitmap's recipe, or null to start from every live document
 * @param indexed   the conjuncts the index answers, as printed text, for explain
 * @param stages    the remaining conjuncts, one stage each, in their static order (cheapest first);
 *                  an execution orders them by measured cost ({@code exec.ConjunctStats})
 * @param neverTrue the condition is known to match nothing (no segment is read)
 * @param warnings  what the user should know about the query that is not an error (a field no document has)
 * @param projections the SELECT items, in order (empty without SELECT, and for a grouped query)
 * @param grouping  how a grouped query makes its rows, or null for a query that returns hits
 */
public record Plan(Query query, Schema schema, IndexPlan index, List<String> indexed, List<Stage> stages,
                   CompiledValue score, List<CompiledValue> orderKeys,
                   boolean neverTrue, List<String> warnings, List<Projection> projections,
                   Grouping grouping) {
    public Plan {
        warnings = List.copyOf(warnings);
        projections = List.copyOf(projections);
        indexed = List.copyOf(indexed);
        stages = List.copyOf(stages);
        orderKeys = List.copyOf(orderKeys);
    }

    /**
     * One top-level conjunct, compiled once, applied to the candidates that passed the stages run
     * before it. {@code tier} is the most expensive tier it calls into; {@code staticNanosPerRow}
     * is its cost estimate before any measurement (by the tiers of the UDF calls in it).
     */
    public record Stage(String tier, String clause, CompiledClause compiled, double staticNanosPerRow) {}

    /**
     * One SELECT item: a bare field path is read from the hit's stored source (so objects and
     * arrays come back as they are), anything else is a value the tier computes from the columns.
     *
     * @param sourcePath the field, or null for a computed item
     * @param value the computed item, or null for a field
     */
    public record Projection(String name, dev.strata.core.value.FieldPath sourcePath, CompiledValue value) {}
}
