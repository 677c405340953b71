package dev.strata.core.spi;

import dev.strata.core.segment.Segment;
import dev.strata.core.value.Value;

/**
 * A value expression (a sort key, {@code SET _score}) compiled once per query by a tier that
 * offers {@link ValueCompiler}; bound once per run and segment. Immutable and thread-safe.
 */
public interface CompiledValue {
    /** Binds to one segment for one run. The result is used by one thread at a time. */
    Bound bind(Segment segment, ExecutionContext run);

    /** A value expression bound to one segment. */
    interface Bound {
        /**
         * Evaluates the value for {@code docs[0..count)} into {@code out} (Value.NULL for null or
         * missing). {@code scores} gives each document's score for {@code _score}, or null for 1.0.
         */
        void evaluate(int[] docs, int count, double[] scores, Value[] out);
    }
}
