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
     * Evaluates the function for one batch of rows. Called once per batch, never per document.
     *
     * @throws dev.strata.core.StrataException UDF_FAILED naming module, function and document when
     *     the function fails; DEADLINE_EXCEEDED when the run's deadline passes
     */
    void evaluate(UdfBatch batch);
}
