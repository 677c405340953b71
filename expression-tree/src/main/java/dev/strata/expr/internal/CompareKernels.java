package dev.strata.expr.internal;

import static dev.strata.expr.internal.Kernels.fill;

import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.segment.Bits;
import dev.strata.core.value.CodePoints;

/** Comparison kernels: column against column or constant, strings by code point, dictionary-code lookups and IN lists. */
final class CompareKernels {
    private CompareKernels() {}

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
}
