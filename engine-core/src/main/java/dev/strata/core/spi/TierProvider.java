package dev.strata.core.spi;

/**
 * An evaluation tier (expression, wasm_udf, python_udf), ready to serve: created by its {@link
 * TierFactory}, which {@link java.util.ServiceLoader} finds.
 *
 * <p>A tier offers what it can through capabilities that default to empty, and the node asks for
 * them, never for a type: {@link #clauses()} (conditions compiled once per query into a
 * {@link CompiledClause}, bound once per segment into a {@link SegmentFilter}), {@link #values()}
 * (sort keys and scores), {@link #functions()} (user functions) and {@link #modules()} (their
 * registry). Three lifetimes, as in Lucene's Query/Weight/Scorer: the provider lives as long as
 * the node, a compiled clause or value as long as a query, a bound one for one run and segment.
 * Implementations must be thread-safe; the planner may call them from any thread.
 */
public interface TierProvider {
    /** The tier's stable name, used in plans and messages: "expression", "wasm_udf" or "python_udf". */
    String name();

    /** The tier's clause compilation, if it evaluates conditions by itself (the expression tier does). */
    default java.util.Optional<ClauseCompiler> clauses() { return java.util.Optional.empty(); }

    /**
     * The tier's user functions, if it offers any: resolves {@code tier('module.function', ...)}
     * calls. The node asks this, never the tier's type.
     */
    default java.util.Optional<UdfResolver> functions() { return java.util.Optional.empty(); }

    /** The tier's value compilation (sort keys, scores), if it computes values. */
    default java.util.Optional<ValueCompiler> values() { return java.util.Optional.empty(); }

    /** The tier's registry of user modules, if it keeps one (register, list, describe, unload). */
    default java.util.Optional<UdfModules> modules() { return java.util.Optional.empty(); }

    /** Stops the tier: called once when the node closes. */
    default void close() {}

    /**
     * How the tier is doing: called by the node's {@code /health} from any thread, must be cheap and
     * must not throw. Tiers without background work are always {@link TierHealth#OK}.
     */
    default TierHealth health() { return TierHealth.OK; }
}
