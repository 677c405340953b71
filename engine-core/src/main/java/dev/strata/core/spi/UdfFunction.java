package dev.strata.core.spi;

import dev.strata.core.value.ValueKind;
import java.util.List;

/**
 * A user function resolved for one query (by {@link UdfResolver}, once per call site). Immutable
 * and thread-safe: plans are cached and shared, so {@link #evaluate} runs on several threads with
 * different batches.
 */
public interface UdfFunction {
    /** The kind of each parameter; the caller converts arguments to these before calling. */
    List<ValueKind> parameterKinds();

    /** The kind every non-null result has. */
    ValueKind resultKind();

    /**
     * Whether the result depends on the arguments alone (declared {@code deterministic} in the
     * signature, checked by the tier at registration: no document reads, no clock, no randomness).
     * The caller may then evaluate it once per distinct argument value and reuse the result for
     * every row and segment of the run. The default, volatile, is called for every row.
     */
    default boolean deterministic() { return false; }

    /**
     * What one row costs, in nanoseconds, before anything is measured: the author's {@code cost=N}
     * when the signature declares one, else the tier's own estimate for a call of this shape. The
     * expression tier adds it up into a clause's {@link CompiledClause#staticNanosPerRow()}; the
     * planner orders unmeasured clauses by it.
     */
    double costHintNanos();

    /**
     * Evaluates the function for one batch of rows. Called once per batch, never per document.
     *
     * @throws dev.strata.core.StrataException UDF_FAILED naming module, function and document when
     *     the function fails; DEADLINE_EXCEEDED when the run's deadline passes
     */
    void evaluate(UdfBatch batch);
}
