package dev.strata.core.spi;

import dev.strata.core.ast.Expr;

/**
 * An evaluation tier (expression, wasm_udf, python_udf), found with {@link java.util.ServiceLoader}.
 *
 * <p>Three lifetimes, as in Lucene's Query/Weight/Scorer: the provider lives as long as the node;
 * {@link #compile} runs once per query and clause and returns a {@link CompiledClause}; that is
 * bound once per segment into a {@link SegmentFilter} that filters batches of documents.
 * Implementations must be thread-safe; the planner may call them from any thread.
 */
public interface TierProvider {
    /** The tier's stable name, used in plans and messages: "expression", "wasm_udf" or "python_udf". */
    String name();

    /**
     * Whether this tier can evaluate {@code clause} by itself. Called at plan time, once per
     * clause; must be cheap and must not throw.
     */
    boolean accepts(Expr clause);

    /**
     * Compiles a boolean clause. Called once per query and clause, never per document.
     *
     * @throws dev.strata.core.StrataException with a user code (and a position, as a
     *     {@link dev.strata.core.QueryException}) when the clause is wrong, e.g. badly typed
     */
    CompiledClause compile(Expr clause, CompileContext context);

    /**
     * Starts the tier: called once by the node before any query, with a directory the tier owns.
     * Tiers that keep nothing ignore it. Loading stored modules and pre-warming happen here, never
     * on the query path.
     */
    default void open(TierEnvironment environment) {}

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
