package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.segment.Bits;
import dev.strata.core.value.Temporal;
import java.util.Arrays;

/** Constants, casts and shared-operand kernels, and the helpers every kernel family uses (the families: {@link ArithmeticKernels}, {@link CompareKernels}, {@link LogicKernels}, {@link CallKernels}). */
final class Kernels {
    private Kernels() {}

    static void fill(long[] words, int n, long value) { Arrays.fill(words, 0, Bits.words(n), value); }

    private static final long EXPONENT = 0x7ff0_0000_0000_0000L;

    private static final long EXPONENT_ONE = 0x0010_0000_0000_0000L;

    /**
     * Makes every infinite or NaN value of {@code v[0..n)} null: float arithmetic never yields a
     * non-finite number (as division by zero yields null), so sort keys and scores stay ordered.
     * One branch-free pass finds whether there is any (an all-ones exponent carries into the sign
     * bit); only then a second clears them.
     */
    static void nullNonFinite(double[] v, long[] valid, int n) {
        long carry = 0;
        for (int i = 0; i < n; i++) carry |= (Double.doubleToRawLongBits(v[i]) & EXPONENT) + EXPONENT_ONE;
        if (carry >= 0) return;
        for (int i = 0; i < n; i++) if (!Double.isFinite(v[i])) valid[i >>> 6] &= ~(1L << i);
    }

    static StrataException overflow(String where) {
        return new StrataException(ErrorCode.INTEGER_OVERFLOW, "integer overflow in " + where);
    }

    // ---------------------------------------------------------------- constants

    static final class LongConst extends Vec.OfLong {
        private final long value;
        private final boolean isNull;

        LongConst(long value, boolean isNull) {
            this.value = value;
            this.isNull = isNull;
        }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            Arrays.fill(v, 0, r.n, value);
            fill(valid, r.n, isNull ? 0 : -1L);
        }
    }

    static final class DoubleConst extends Vec.OfDouble {
        private final double value;
        private final boolean isNull;

        DoubleConst(double value, boolean isNull) {
            this.value = value;
            this.isNull = isNull;
        }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            Arrays.fill(v, 0, r.n, value);
            fill(valid, r.n, isNull ? 0 : -1L);
        }
    }

    static final class StringConst extends Vec.OfString {
        private final String value;

        StringConst(String value) { this.value = value; }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            Arrays.fill(v, 0, r.n, value);
            fill(valid, r.n, value == null ? 0 : -1L);
        }
    }

    /** TRUE, FALSE or UNKNOWN for every row. */
    static final class BoolConst extends Vec.OfBool {
        private final Boolean value;

        BoolConst(Boolean value) { this.value = value; }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            fill(t, r.n, Boolean.TRUE.equals(value) ? -1L : 0);
            fill(f, r.n, Boolean.FALSE.equals(value) ? -1L : 0);
        }
    }

    // ---------------------------------------------------------------- casts and arithmetic

    static final class IntToFloat extends Vec.OfDouble {
        private final Vec.OfLong in;

        IntToFloat(Vec.OfLong in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            in.eval(r);
            int n = r.n;
            ensure(n);
            long[] x = in.v;
            for (int i = 0; i < n; i++) v[i] = x[i];
            System.arraycopy(in.valid, 0, valid, 0, Bits.words(n));
        }
    }

    static final class DateToTimestamp extends Vec.OfLong {
        private final Vec.OfLong in;

        DateToTimestamp(Vec.OfLong in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            in.eval(r);
            ensure(r.n);
            for (int i = 0; i < r.n; i++) v[i] = Temporal.dateToMicros((int) in.v[i]);
            System.arraycopy(in.valid, 0, valid, 0, Bits.words(r.n));
        }
    }

    /** Bools as 0/1 longs: a condition used as a value (e.g. compared with TRUE). */
    static final class BoolToLong extends Vec.OfLong {
        private final Vec.OfBool in;

        BoolToLong(Vec.OfBool in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            in.eval(r);
            ensure(r.n);
            for (int i = 0; i < r.n; i++) v[i] = Bits.get(in.t, i) ? 1 : 0;
            for (int w = 0; w < Bits.words(r.n); w++) valid[w] = in.t[w] | in.f[w];
        }
    }

    /** A bool field (0/1 longs) used as a condition. */
    static final class LongToBool extends Vec.OfBool {
        private final Vec.OfLong in;

        LongToBool(Vec.OfLong in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            in.eval(r);
            ensure(r.n);
            fill(t, r.n, 0);
            fill(f, r.n, 0);
            for (int i = 0; i < r.n; i++) {
                if (Bits.get(in.valid, i)) {
                    if (in.v[i] != 0) t[i >>> 6] |= 1L << i;
                    else f[i >>> 6] |= 1L << i;
                }
            }
        }
    }

    /** Sets TRUE/FALSE words from a match bit per row and a validity mask. */
    static void settle(long[] match, long[] valid, long[] t, long[] f, int n) {
        for (int w = 0; w < Bits.words(n); w++) {
            t[w] = match[w] & valid[w];
            f[w] = ~match[w] & valid[w];
        }
    }

    /** Evaluates a shared operand once per fill of the rows (BETWEEN reads its value twice). */
    static final class MemoLong extends Vec.OfLong {
        private final Vec.OfLong in;
        private long generation = -1;
        private Rows rows;

        MemoLong(Vec.OfLong in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            if (r != rows || r.generation != generation) {
                in.eval(r);
                rows = r;
                generation = r.generation;
            }
            v = in.v;
            valid = in.valid;
        }
    }

    static final class MemoDouble extends Vec.OfDouble {
        private final Vec.OfDouble in;
        private long generation = -1;
        private Rows rows;

        MemoDouble(Vec.OfDouble in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            if (r != rows || r.generation != generation) {
                in.eval(r);
                rows = r;
                generation = r.generation;
            }
            v = in.v;
            valid = in.valid;
        }
    }

    static final class MemoString extends Vec.OfString {
        private final Vec.OfString in;
        private long generation = -1;
        private Rows rows;

        MemoString(Vec.OfString in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            if (r != rows || r.generation != generation) {
                in.eval(r);
                rows = r;
                generation = r.generation;
            }
            valid = in.valid;
        }

        @Override
        public String[] strings(int n) { return in.strings(n); }
    }
}
