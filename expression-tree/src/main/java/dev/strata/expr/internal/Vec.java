package dev.strata.expr.internal;

import dev.strata.core.segment.Bits;

/**
 * A bound kernel: evaluated once per batch of rows into its own buffers, which its parent reads.
 * Validity (and, for conditions, TRUE/FALSE) is kept as bitsets over rows; a row that is neither
 * TRUE nor FALSE is UNKNOWN. Bits at or past {@code n} are garbage.
 */
public abstract class Vec {
    /** Rows whose value is not null (for conditions: TRUE or FALSE). */
    public long[] valid = new long[0];

    public abstract void eval(Rows rows);

    protected final void ensureValid(int n) {
        if (valid.length < Bits.words(n)) valid = new long[Math.max(Bits.words(n), valid.length * 2)];
    }

    /** Int, bool (0/1), date (days) or timestamp (micros) values. */
    public abstract static class OfLong extends Vec {
        public long[] v = new long[0];

        protected final void ensure(int n) {
            ensureValid(n);
            if (v.length < n) v = new long[Math.max(n, v.length * 2)];
        }
    }

    public abstract static class OfDouble extends Vec {
        public double[] v = new double[0];

        protected final void ensure(int n) {
            ensureValid(n);
            if (v.length < n) v = new double[Math.max(n, v.length * 2)];
        }
    }

    public abstract static class OfString extends Vec {
        public String[] v = new String[0];

        protected final void ensure(int n) {
            ensureValid(n);
            if (v.length < n) v = new String[Math.max(n, v.length * 2)];
        }

        /** The strings of the last evaluation (a column reader materialises them only when asked). */
        public String[] strings(int n) { return v; }
    }

    /** A condition: {@link #t} TRUE rows, {@link #f} FALSE rows; {@link #valid} is not used. */
    public abstract static class OfBool extends Vec {
        public long[] t = new long[0];
        public long[] f = new long[0];

        protected final void ensure(int n) {
            int w = Bits.words(n);
            if (t.length < w) {
                t = new long[Math.max(w, t.length * 2)];
                f = new long[Math.max(w, f.length * 2)];
            }
        }
    }
}
