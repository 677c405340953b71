package dev.strata.core.spi;

import dev.strata.core.segment.Segment;

/**
 * A value expression (a sort key, {@code SET _score}) compiled once per query by a tier that
 * offers {@link ValueCompiler}; bound once per run and segment. Immutable and thread-safe.
 */
public interface CompiledValue {
    /** Binds to one segment for one run. The result is used by one thread at a time. */
    Bound bind(Segment segment, ExecutionContext run);

    /**
     * A value expression bound to one segment, evaluated a batch at a time into primitive columns:
     * the ranking loop boxes nothing per row.
     */
    interface Bound {
        /**
         * Evaluates a score for {@code docs[0..count)} into {@code out}: a number as itself, a bool
         * as 1 or 0, anything else (null, missing, a string) as NaN, which ranks last. Called once
         * per batch of matches.
         */
        void evaluateScores(int[] docs, int count, double[] out);

        /**
         * Evaluates a sort key for {@code docs[0..count)} into rows {@code [0, count)} of {@code out}
         * (which it sizes). {@code scores} gives each document's score for {@code _score}, or null
         * for 1.0. Called once per batch of matches.
         */
        void evaluateKeys(int[] docs, int count, double[] scores, SortKeys out);

        /**
         * Evaluates the value for {@code docs[0..count)} into {@code out} as values ({@code
         * Value.NULL} for null or missing), for the hits of a page (a SELECT item): boxed, so never
         * called per candidate row. {@code scores} as for {@link #evaluateKeys}.
         */
        void evaluateValues(int[] docs, int count, double[] scores, dev.strata.core.value.Value[] out);
    }
}
