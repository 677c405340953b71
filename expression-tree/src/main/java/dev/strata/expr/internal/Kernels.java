package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.segment.Bits;
import dev.strata.core.value.CodePoints;
import dev.strata.core.value.Temporal;
import java.util.Arrays;

/** Arithmetic, comparison, logic and cast kernels over vectors. */
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

    static final class NegateLong extends Vec.OfLong {
        private final Vec.OfLong in;
        private final String where;

        NegateLong(Vec.OfLong in, String where) {
            this.in = in;
            this.where = where;
        }

        @Override
        public void eval(Rows r) {
            in.eval(r);
            ensure(r.n);
            for (int i = 0; i < r.n; i++) {
                long x = in.v[i];
                if (x == Long.MIN_VALUE && Bits.get(in.valid, i)) throw overflow(where);
                v[i] = -x;
            }
            System.arraycopy(in.valid, 0, valid, 0, Bits.words(r.n));
        }
    }

    static final class NegateDouble extends Vec.OfDouble {
        private final Vec.OfDouble in;

        NegateDouble(Vec.OfDouble in) { this.in = in; }

        @Override
        public void eval(Rows r) {
            in.eval(r);
            ensure(r.n);
            for (int i = 0; i < r.n; i++) v[i] = -in.v[i];
            System.arraycopy(in.valid, 0, valid, 0, Bits.words(r.n));
        }
    }

    /** Int arithmetic: + - * are exact (overflow is an error), % by zero is null. */
    static final class LongArithmetic extends Vec.OfLong {
        private final ArithmeticOp op;
        private final Vec.OfLong a;
        private final Vec.OfLong b;
        private final String where;

        LongArithmetic(ArithmeticOp op, Vec.OfLong a, Vec.OfLong b, String where) {
            this.op = op;
            this.a = a;
            this.b = b;
            this.where = where;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            b.eval(r);
            int n = r.n;
            ensure(n);
            for (int w = 0; w < Bits.words(n); w++) valid[w] = a.valid[w] & b.valid[w];
            long[] x = a.v;
            long[] y = b.v;
            try {
                switch (op) {
                    case ADD -> {
                        for (int i = 0; i < n; i++) v[i] = Bits.get(valid, i) ? Math.addExact(x[i], y[i]) : 0;
                    }
                    case SUBTRACT -> {
                        for (int i = 0; i < n; i++) v[i] = Bits.get(valid, i) ? Math.subtractExact(x[i], y[i]) : 0;
                    }
                    case MULTIPLY -> {
                        for (int i = 0; i < n; i++) v[i] = Bits.get(valid, i) ? Math.multiplyExact(x[i], y[i]) : 0;
                    }
                    case MODULO -> {
                        for (int i = 0; i < n; i++) {
                            if (y[i] == 0) valid[i >>> 6] &= ~(1L << i);
                            else v[i] = x[i] % y[i];
                        }
                    }
                    case DIVIDE -> throw new IllegalStateException("int division is typed as float");
                }
            } catch (ArithmeticException e) {
                throw overflow(where);
            }
        }
    }

    /** Float arithmetic; / and % by zero give null, and so does a result that is infinite or NaN. */
    static final class DoubleArithmetic extends Vec.OfDouble {
        private final ArithmeticOp op;
        private final Vec.OfDouble a;
        private final Vec.OfDouble b;

        DoubleArithmetic(ArithmeticOp op, Vec.OfDouble a, Vec.OfDouble b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            b.eval(r);
            int n = r.n;
            ensure(n);
            for (int w = 0; w < Bits.words(n); w++) valid[w] = a.valid[w] & b.valid[w];
            double[] x = a.v;
            double[] y = b.v;
            switch (op) {
                case ADD -> {
                    for (int i = 0; i < n; i++) v[i] = x[i] + y[i];
                }
                case SUBTRACT -> {
                    for (int i = 0; i < n; i++) v[i] = x[i] - y[i];
                }
                case MULTIPLY -> {
                    for (int i = 0; i < n; i++) v[i] = x[i] * y[i];
                }
                case DIVIDE, MODULO -> {
                    boolean div = op == ArithmeticOp.DIVIDE;
                    for (int i = 0; i < n; i++) {
                        if (y[i] == 0) valid[i >>> 6] &= ~(1L << i);
                        else v[i] = div ? x[i] / y[i] : x[i] % y[i];
                    }
                }
            }
            nullNonFinite(v, valid, n);
        }
    }

    /** A float column times an int column: the common price * qty shape without a cast pass. */
    static final class DoubleTimesLong extends Vec.OfDouble {
        private final Vec.OfDouble a;
        private final Vec.OfLong b;

        DoubleTimesLong(Vec.OfDouble a, Vec.OfLong b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            a.eval(r);
            b.eval(r);
            double[] x = a.v;
            long[] y = b.v;
            ensure(n);
            for (int w = 0; w < Bits.words(n); w++) valid[w] = a.valid[w] & b.valid[w];
            for (int i = 0; i < n; i++) v[i] = x[i] * y[i];
            nullNonFinite(v, valid, n);
        }
    }

    // ---------------------------------------------------------------- comparisons

    /** Sets TRUE/FALSE words from a match bit per row and a validity mask. */
    static void settle(long[] match, long[] valid, long[] t, long[] f, int n) {
        for (int w = 0; w < Bits.words(n); w++) {
            t[w] = match[w] & valid[w];
            f[w] = ~match[w] & valid[w];
        }
    }

    static final class CompareLong extends Vec.OfBool {
        private final ComparisonOp op;
        private final Vec.OfLong a;
        private final Vec.OfLong b;

        CompareLong(ComparisonOp op, Vec.OfLong a, Vec.OfLong b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            b.eval(r);
            int n = r.n;
            ensure(n);
            long[] x = a.v;
            long[] y = b.v;
            for (int w = 0; w < Bits.words(n); w++) {
                long bits = 0;
                int end = Math.min(64, n - (w << 6));
                for (int j = 0; j < end; j++) {
                    int i = (w << 6) + j;
                    if (op.test(Long.compare(x[i], y[i]))) bits |= 1L << j;
                }
                long ok = a.valid[w] & b.valid[w];
                t[w] = bits & ok;
                f[w] = ~bits & ok;
            }
        }
    }

    static final class CompareLongConst extends Vec.OfBool {
        private final ComparisonOp op;
        private final Vec.OfLong a;
        private final long c;

        CompareLongConst(ComparisonOp op, Vec.OfLong a, long c) {
            this.op = op;
            this.a = a;
            this.c = c;
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            a.eval(r);
            long[] x = a.v;
            int off = 0;
            ensure(n);
            for (int w = 0; w < Bits.words(n); w++) {
                long bits = 0;
                int base = off + (w << 6);
                int end = Math.min(64, n - (w << 6));
                switch (op) {
                    case EQ -> { for (int j = 0; j < end; j++) bits |= (x[base + j] == c ? 1L : 0L) << j; }
                    case NE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] != c ? 1L : 0L) << j; }
                    case LT -> { for (int j = 0; j < end; j++) bits |= (x[base + j] < c ? 1L : 0L) << j; }
                    case LE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] <= c ? 1L : 0L) << j; }
                    case GT -> { for (int j = 0; j < end; j++) bits |= (x[base + j] > c ? 1L : 0L) << j; }
                    case GE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] >= c ? 1L : 0L) << j; }
                }
                t[w] = bits & a.valid[w];
                f[w] = ~bits & a.valid[w];
            }
        }
    }

    static final class CompareDouble extends Vec.OfBool {
        private final ComparisonOp op;
        private final Vec.OfDouble a;
        private final Vec.OfDouble b;

        CompareDouble(ComparisonOp op, Vec.OfDouble a, Vec.OfDouble b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            b.eval(r);
            int n = r.n;
            ensure(n);
            double[] x = a.v;
            double[] y = b.v;
            for (int w = 0; w < Bits.words(n); w++) {
                long bits = 0;
                int end = Math.min(64, n - (w << 6));
                for (int j = 0; j < end; j++) {
                    int i = (w << 6) + j;
                    if (test(op, x[i], y[i])) bits |= 1L << j;
                }
                long ok = a.valid[w] & b.valid[w];
                t[w] = bits & ok;
                f[w] = ~bits & ok;
            }
        }
    }

    /** Float comparison with -0.0 == 0.0 (primitive operators, not Double.compare). */
    static boolean test(ComparisonOp op, double x, double y) {
        return switch (op) {
            case EQ -> x == y;
            case NE -> x != y;
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
        };
    }

    static final class CompareDoubleConst extends Vec.OfBool {
        private final ComparisonOp op;
        private final Vec.OfDouble a;
        private final double c;

        CompareDoubleConst(ComparisonOp op, Vec.OfDouble a, double c) {
            this.op = op;
            this.a = a;
            this.c = c;
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            a.eval(r);
            double[] x = a.v;
            int off = 0;
            ensure(n);
            for (int w = 0; w < Bits.words(n); w++) {
                long bits = 0;
                int base = off + (w << 6);
                int end = Math.min(64, n - (w << 6));
                switch (op) {
                    case EQ -> { for (int j = 0; j < end; j++) bits |= (x[base + j] == c ? 1L : 0L) << j; }
                    case NE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] != c ? 1L : 0L) << j; }
                    case LT -> { for (int j = 0; j < end; j++) bits |= (x[base + j] < c ? 1L : 0L) << j; }
                    case LE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] <= c ? 1L : 0L) << j; }
                    case GT -> { for (int j = 0; j < end; j++) bits |= (x[base + j] > c ? 1L : 0L) << j; }
                    case GE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] >= c ? 1L : 0L) << j; }
                }
                t[w] = bits & a.valid[w];
                f[w] = ~bits & a.valid[w];
            }
        }
    }

    static final class CompareString extends Vec.OfBool {
        private final ComparisonOp op;
        private final Vec.OfString a;
        private final Vec.OfString b;

        CompareString(ComparisonOp op, Vec.OfString a, Vec.OfString b) {
            this.op = op;
            this.a = a;
            this.b = b;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            b.eval(r);
            int n = r.n;
            ensure(n);
            String[] x = a.strings(n);
            String[] y = b.strings(n);
            fill(t, n, 0);
            fill(f, n, 0);
            for (int i = 0; i < n; i++) {
                if (!Bits.get(a.valid, i) || !Bits.get(b.valid, i)) continue;
                if (op.test(CodePoints.compare(x[i], y[i]))) t[i >>> 6] |= 1L << i;
                else f[i >>> 6] |= 1L << i;
            }
        }
    }

    /**
     * A string column against a constant, on dictionary codes: the constant is looked up once per
     * segment, and since codes follow code-point order, every operator is an integer comparison.
     */
    static final class CompareCodeConst extends Vec.OfBool {
        private final FieldReaders.StringField a;
        private final long lowCode;
        private final long highCode;
        private final long[] match = new long[0];
        private final ComparisonOp op;
        private final boolean found;

        CompareCodeConst(ComparisonOp op, FieldReaders.StringField a, String c) {
            this.op = op;
            this.a = a;
            int code = a.dictionary == null ? -1 : a.dictionary.lookup(c);
            this.found = code >= 0;
            int insertion = found ? code : a.dictionary == null ? 0 : -code - 1;
            this.lowCode = insertion;            // codes < lowCode sort before c
            this.highCode = found ? code + 1 : insertion; // codes >= highCode sort after c
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            a.eval(r);
            long[] x = a.codes;
            int off = 0;
            ensure(n);
            long lo = lowCode;
            long hi = highCode;
            for (int w = 0; w < Bits.words(n); w++) {
                long bits = 0;
                int base = off + (w << 6);
                int end = Math.min(64, n - (w << 6));
                switch (op) {
                    case EQ -> { if (found) for (int j = 0; j < end; j++) bits |= (x[base + j] == lo ? 1L : 0L) << j; }
                    case NE -> { bits = -1L; if (found) for (int j = 0; j < end; j++) bits &= ~((x[base + j] == lo ? 1L : 0L) << j); }
                    case LT -> { for (int j = 0; j < end; j++) bits |= (x[base + j] < lo ? 1L : 0L) << j; }
                    case LE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] < hi ? 1L : 0L) << j; }
                    case GT -> { for (int j = 0; j < end; j++) bits |= (x[base + j] >= hi ? 1L : 0L) << j; }
                    case GE -> { for (int j = 0; j < end; j++) bits |= (x[base + j] >= lo ? 1L : 0L) << j; }
                }
                t[w] = bits & a.valid[w];
                f[w] = ~bits & a.valid[w];
            }
        }
    }

    /** A per-code answer computed once per segment (IN lists and LIKE over a dictionary column). */
    static final class CodeLookup extends Vec.OfBool {
        private final FieldReaders.StringField a;
        private final boolean[] byCode;
        private final boolean unknownWhenNoMatch;

        CodeLookup(FieldReaders.StringField a, java.util.function.Predicate<String> test, boolean unknownWhenNoMatch) {
            this(a, byCode(a, test), unknownWhenNoMatch);
        }

        /** {@code byCode[c]}: whether dictionary string {@code c} passes. */
        CodeLookup(FieldReaders.StringField a, boolean[] byCode, boolean unknownWhenNoMatch) {
            this.a = a;
            this.byCode = byCode;
            this.unknownWhenNoMatch = unknownWhenNoMatch;
        }

        private static boolean[] byCode(FieldReaders.StringField a, java.util.function.Predicate<String> test) {
            int size = a.dictionary == null ? 0 : a.dictionary.size();
            boolean[] out = new boolean[size];
            for (int c = 0; c < size; c++) out[c] = test.test(a.dictionary.get(c));
            return out;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            int n = r.n;
            ensure(n);
            long[] x = a.codes;
            for (int w = 0; w < Bits.words(n); w++) {
                long bits = 0;
                int base = w << 6;
                int end = Math.min(64, n - base);
                for (int j = 0; j < end; j++) {
                    // rows that hold no string carry another kind's payload here: never index with it
                    long code = x[base + j];
                    if (code >= 0 && code < byCode.length && byCode[(int) code]) bits |= 1L << j;
                }
                bits &= a.valid[w];
                t[w] = bits;
                f[w] = unknownWhenNoMatch ? 0 : ~bits & a.valid[w];
            }
        }
    }

    /** IN over a general value vector, tested per row. */
    static final class InTest extends Vec.OfBool {
        private final Vec value;
        private final java.util.function.IntPredicate member;
        private final boolean unknownWhenNoMatch;

        InTest(Vec value, java.util.function.IntPredicate member, boolean unknownWhenNoMatch) {
            this.value = value;
            this.member = member;
            this.unknownWhenNoMatch = unknownWhenNoMatch;
        }

        @Override
        public void eval(Rows r) {
            value.eval(r);
            int n = r.n;
            ensure(n);
            fill(t, n, 0);
            fill(f, n, 0);
            for (int i = 0; i < n; i++) {
                if (!Bits.get(value.valid, i)) continue;
                if (member.test(i)) t[i >>> 6] |= 1L << i;
                else if (!unknownWhenNoMatch) f[i >>> 6] |= 1L << i;
            }
        }
    }

    // ---------------------------------------------------------------- logic

    /**
     * Three-valued AND. The right side is skipped when every row is already FALSE; when it is
     * expensive (a UDF call in it) it is evaluated only on the rows the left side did not make
     * FALSE, gathered into a smaller batch, so a UDF never sees a row another conjunct rejected.
     */
    static final class And extends Vec.OfBool {
        private final Vec.OfBool a;
        private final Vec.OfBool b;
        private final Subset subset;

        And(Vec.OfBool a, Vec.OfBool b) { this(a, b, false); }

        And(Vec.OfBool a, Vec.OfBool b, boolean rightIsExpensive) {
            this.a = a;
            this.b = b;
            this.subset = rightIsExpensive ? new Subset() : null;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            int n = r.n;
            ensure(n);
            int words = Bits.words(n);
            long last = n % 64 == 0 ? -1L : (1L << n) - 1;
            boolean allFalse = true;
            for (int w = 0; w < words && allFalse; w++) {
                long mask = w == words - 1 ? last : -1L;
                allFalse = (a.f[w] & mask) == mask;
            }
            if (allFalse) { // every row is already FALSE: skip the right side
                fill(t, n, 0);
                System.arraycopy(a.f, 0, f, 0, words);
                return;
            }
            if (subset != null && subset.select(r, a.f, false)) { // the right side on the rows not FALSE yet
                b.eval(subset.rows);
                fill(t, n, 0);
                System.arraycopy(a.f, 0, f, 0, words);
                for (int k = 0; k < subset.rows.n; k++) {
                    int i = subset.where[k];
                    if (Bits.get(b.t, k) && Bits.get(a.t, i)) t[i >>> 6] |= 1L << i;
                    if (Bits.get(b.f, k)) f[i >>> 6] |= 1L << i;
                }
                return;
            }
            b.eval(r);
            for (int w = 0; w < words; w++) {
                t[w] = a.t[w] & b.t[w];
                f[w] = a.f[w] | b.f[w];
            }
        }
    }

    /** Three-valued OR; an expensive right side is evaluated only on the rows the left side did not make TRUE. */
    static final class Or extends Vec.OfBool {
        private final Vec.OfBool a;
        private final Vec.OfBool b;
        private final Subset subset;

        Or(Vec.OfBool a, Vec.OfBool b) { this(a, b, false); }

        Or(Vec.OfBool a, Vec.OfBool b, boolean rightIsExpensive) {
            this.a = a;
            this.b = b;
            this.subset = rightIsExpensive ? new Subset() : null;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            int n = r.n;
            ensure(n);
            int words = Bits.words(n);
            if (subset != null && subset.select(r, a.t, true)) {
                System.arraycopy(a.t, 0, t, 0, words);
                fill(f, n, 0);
                if (subset.rows.n > 0) b.eval(subset.rows);
                for (int k = 0; k < subset.rows.n; k++) {
                    int i = subset.where[k];
                    if (Bits.get(b.t, k)) t[i >>> 6] |= 1L << i;
                    if (Bits.get(b.f, k) && Bits.get(a.f, i)) f[i >>> 6] |= 1L << i;
                }
                return;
            }
            b.eval(r);
            for (int w = 0; w < words; w++) {
                t[w] = a.t[w] | b.t[w];
                f[w] = a.f[w] & b.f[w];
            }
        }
    }

    /** The rows of a batch whose outcome is still open, as a smaller batch of their own (for an expensive operand). */
    static final class Subset {
        int[] where = new int[0];
        Rows rows;

        /**
         * Gathers the rows whose bit in {@code decided} is clear; false (nothing gathered) when no
         * row is decided, so evaluating on the whole batch is as good. {@code keepIfEmpty}: an
         * empty subset still counts as gathered.
         */
        boolean select(Rows r, long[] decided, boolean keepIfEmpty) {
            int n = r.n;
            if (where.length < n) where = new int[Math.max(n, where.length * 2)];
            int m = 0;
            for (int i = 0; i < n; i++) if (!Bits.get(decided, i)) where[m++] = i;
            if (m == n) return false;
            if (m == 0 && !keepIfEmpty) return false;
            if (rows == null || rows.segment != r.segment || rows.run != r.run) rows = new Rows(r.segment, r.run);
            rows.select(r, where, m);
            return true;
        }
    }

    /** The union of per-family comparisons whose rows are disjoint (see {@link Typed.Either}). */
    static final class Either extends Vec.OfBool {
        private final java.util.List<Vec.OfBool> alternatives;

        Either(java.util.List<Vec.OfBool> alternatives) { this.alternatives = alternatives; }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            int words = Bits.words(r.n);
            fill(t, r.n, 0);
            fill(f, r.n, 0);
            for (Vec.OfBool a : alternatives) {
                a.eval(r);
                for (int w = 0; w < words; w++) {
                    t[w] |= a.t[w];
                    f[w] |= a.f[w];
                }
            }
            for (int w = 0; w < words; w++) f[w] &= ~t[w];
        }
    }

    static final class Not extends Vec.OfBool {
        private final Vec.OfBool a;

        Not(Vec.OfBool a) { this.a = a; }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            ensure(r.n);
            System.arraycopy(a.f, 0, t, 0, Bits.words(r.n));
            System.arraycopy(a.t, 0, f, 0, Bits.words(r.n));
        }
    }

    /** IS [NOT] NULL of a computed value. */
    static final class ValueIsNull extends Vec.OfBool {
        private final Vec a;
        private final boolean negated;

        ValueIsNull(Vec a, boolean negated) {
            this.a = a;
            this.negated = negated;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            ensure(r.n);
            long[] valid = a instanceof Vec.OfBool b ? null : a.valid;
            for (int w = 0; w < Bits.words(r.n); w++) {
                long ok = valid != null ? valid[w] : ((Vec.OfBool) a).t[w] | ((Vec.OfBool) a).f[w];
                t[w] = negated ? ok : ~ok;
                f[w] = negated ? ~ok : ok;
            }
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
