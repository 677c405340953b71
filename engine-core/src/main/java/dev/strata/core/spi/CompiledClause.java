package dev.strata.core.spi;

import dev.strata.core.segment.Segment;

/** A clause compiled for one query. Immutable and shareable between threads. */
public interface CompiledClause {
    /**
     * Binds the clause to one segment for one run: resolves columns, dictionary codes and handles.
     * Called once per run and segment. The result is used by one thread at a time.
     */
    SegmentFilter bind(Segment segment, ExecutionContext run);

    /** True when the clause is TRUE for every document, known when it was compiled (constant folding). */
    default boolean isAlwaysTrue() { return false; }

    /** True when the clause can never be TRUE (FALSE or UNKNOWN for every document), known when it was compiled. */
    default boolean isNeverTrue() { return false; }

    /**
     * What evaluating the clause costs per row, in nanoseconds, as far as known when it was compiled
     * (the kernels plus each UDF call's {@link UdfFunction#costHintNanos()}); NaN when the tier
     * cannot say. The planner orders clauses nobody has measured yet by it.
     */
    default double staticNanosPerRow() { return Double.NaN; }

    /** Binds for a run without a deadline (tests, benchmarks). */
    default SegmentFilter bind(Segment segment) { return bind(segment, ExecutionContext.unbounded()); }
}
