package dev.strata.expr.internal;

import static dev.strata.expr.internal.Kernels.fill;

import dev.strata.core.segment.Bits;

/** Three-valued logic kernels: AND and OR (a UDF-calling right side only on rows still open), NOT, either-of and IS NULL. */
final class LogicKernels {
    private LogicKernels() {}

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
}
