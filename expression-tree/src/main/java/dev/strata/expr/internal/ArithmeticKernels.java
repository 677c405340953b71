package dev.strata.expr.internal;

import static dev.strata.expr.internal.Kernels.nullNonFinite;
import static dev.strata.expr.internal.Kernels.overflow;

import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.segment.Bits;

/** Arithmetic kernels: negation and the binary operators over ints and floats, with the overflow and division rules. */
final class ArithmeticKernels {
    private ArithmeticKernels() {}

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
}
