package dev.strata.expr.internal;

import dev.strata.core.segment.Bits;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.StringDictionary;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.ValueKind;

/** Kernels that read a field's elements from a {@link FieldColumn} into vectors. */
final class FieldReaders {
    private FieldReaders() {}

    /** Which element a row reads: the element of an any-match slot, an array position, or the first. */
    static final class Locator {
        final FieldColumn column;
        final int slot;
        final int position;

        Locator(FieldColumn column, int slot, int position) {
            this.column = column;
            this.slot = slot;
            this.position = position;
        }

        /** True when row i reads element base + i: the contiguous fast path. */
        boolean direct(Rows r) {
            return r.base >= 0 && column != null && column.isSingleValued() && slot < 0 && position <= 0;
        }

        /** The element row {@code i} reads, or -1 for none. */
        int element(Rows r, int i) {
            if (column == null) return -1;
            if (slot >= 0) return r.elem[slot][i];
            int d = r.doc[i];
            if (column.isSingleValued()) {
                if (position > 0) return -1;
                if (position == 0 && !column.hasElement(d)) return -1;
                return d;
            }
            return column.element(d, Math.max(position, 0));
        }
    }

    /** Int, bool, date or timestamp elements (timestamps also read dates, at midnight UTC). */
    static final class LongField extends Vec.OfLong {
        private final Locator at;
        private final ValueKind kind;
        private final boolean hasKind;
        private final boolean readsDates;

        LongField(Locator at, Type type) {
            this.at = at;
            FieldColumn c = at.column;
            this.kind = switch (type) {
                case INT -> ValueKind.INT;
                case BOOL -> ValueKind.BOOL;
                case DATE -> ValueKind.DATE;
                default -> ValueKind.TIMESTAMP;
            };
            this.hasKind = c != null && c.kinds().contains(kind);
            this.readsDates = c != null && type == Type.TIMESTAMP && c.kinds().contains(ValueKind.DATE);
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            if (!hasKind && !readsDates) {
                java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
                return;
            }
            FieldColumn c = at.column;
            if (at.direct(r) && !readsDates) { // contiguous documents: two bulk copies out of the column
                c.readLongs(r.base, v, n);
                c.readKindBits(kind, r.base, valid, n);
                return;
            }
            java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
            for (int i = 0; i < n; i++) {
                int e = at.element(r, i);
                if (e < 0) continue;
                if (c.hasKind(kind, e)) {
                    v[i] = c.longAt(e);
                    valid[i >>> 6] |= 1L << i;
                } else if (readsDates && c.hasKind(ValueKind.DATE, e)) {
                    v[i] = Temporal.dateToMicros((int) c.longAt(e));
                    valid[i >>> 6] |= 1L << i;
                }
            }
        }
    }

    /** Float elements, and int elements widened to float. */
    static final class DoubleField extends Vec.OfDouble {
        private final Locator at;
        private final boolean hasFloats;
        private final boolean hasInts;
        private long[] scratch = new long[0];

        DoubleField(Locator at) {
            this.at = at;
            this.hasFloats = at.column != null && at.column.kinds().contains(ValueKind.FLOAT);
            this.hasInts = at.column != null && at.column.kinds().contains(ValueKind.INT);
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            if (!hasFloats && !hasInts) {
                java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
                return;
            }
            FieldColumn c = at.column;
            if (at.direct(r) && !hasInts) {
                c.readDoubles(r.base, v, n);
                c.readKindBits(ValueKind.FLOAT, r.base, valid, n);
                return;
            }
            if (at.direct(r) && !hasFloats) {
                if (scratch.length < n) scratch = new long[Math.max(n, 64)];
                c.readLongs(r.base, scratch, n);
                for (int i = 0; i < n; i++) v[i] = scratch[i];
                c.readKindBits(ValueKind.INT, r.base, valid, n);
                return;
            }
            java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
            for (int i = 0; i < n; i++) {
                int e = at.element(r, i);
                if (e < 0) continue;
                if (hasFloats && c.hasKind(ValueKind.FLOAT, e)) {
                    v[i] = c.doubleAt(e);
                    valid[i >>> 6] |= 1L << i;
                } else if (hasInts && c.hasKind(ValueKind.INT, e)) {
                    v[i] = c.longAt(e);
                    valid[i >>> 6] |= 1L << i;
                }
            }
        }
    }

    /** String elements as dictionary codes; the strings themselves only when a consumer asks. */
    static final class StringField extends Vec.OfString {
        final Locator at;
        final StringDictionary dictionary;
        private final boolean hasStrings;
        long[] codes = new long[0];
        private int lastN;

        StringField(Locator at) {
            this.at = at;
            this.hasStrings = at.column != null && at.column.kinds().contains(ValueKind.STRING);
            this.dictionary = at.column == null ? null : at.column.dictionary();
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            lastN = n;
            if (codes.length < n) codes = new long[Math.max(n, codes.length * 2)];
            if (!hasStrings) {
                java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
                return;
            }
            FieldColumn c = at.column;
            if (at.direct(r)) {
                c.readLongs(r.base, codes, n);
                c.readKindBits(ValueKind.STRING, r.base, valid, n);
                return;
            }
            java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
            for (int i = 0; i < n; i++) {
                int e = at.element(r, i);
                if (e >= 0 && c.hasKind(ValueKind.STRING, e)) {
                    codes[i] = c.longAt(e);
                    valid[i >>> 6] |= 1L << i;
                }
            }
        }

        @Override
        public String[] strings(int n) {
            for (int i = 0; i < lastN; i++) v[i] = Bits.get(valid, i) ? dictionary.get((int) codes[i]) : null;
            return v;
        }
    }

    /** {@code _id}. */
    static final class IdField extends Vec.OfString {
        @Override
        public void eval(Rows r) {
            ensure(r.n);
            for (int i = 0; i < r.n; i++) v[i] = r.segment.id(r.doc[i]);
            java.util.Arrays.fill(valid, 0, Bits.words(r.n), -1L);
        }
    }

    /** IS [NOT] NULL of a field: TRUE for a null element, FALSE for another, UNKNOWN with no element. */
    static final class FieldIsNull extends Vec.OfBool {
        private final Locator at;
        private final boolean negated;

        FieldIsNull(Locator at, boolean negated) {
            this.at = at;
            this.negated = negated;
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            int words = Bits.words(n);
            java.util.Arrays.fill(t, 0, words, 0L);
            java.util.Arrays.fill(f, 0, words, 0L);
            if (at.column == null) return;
            boolean wholeDocs = at.slot < 0 && at.position < 0 && at.column.isSingleValued();
            for (int i = 0; i < n; i++) {
                int e;
                if (wholeDocs) {
                    e = r.doc[i];
                    if (!at.column.isPresent(e)) continue; // an empty array is present without an element: FALSE
                } else {
                    e = at.element(r, i);
                    if (e < 0) continue;
                }
                if (at.column.hasKind(ValueKind.NULL, e)) t[i >>> 6] |= 1L << i;
                else f[i >>> 6] |= 1L << i;
            }
            if (negated) {
                long[] x = t;
                t = f;
                f = x;
            }
        }
    }

    /** exists(f) / IS [NOT] MISSING: never UNKNOWN. */
    static final class Present extends Vec.OfBool {
        private final FieldColumn column;
        private final int position;
        private final boolean negated;

        Present(FieldColumn column, int position, boolean negated) {
            this.column = column;
            this.position = position;
            this.negated = negated;
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            int words = Bits.words(n);
            long[] yes = negated ? f : t;
            long[] no = negated ? t : f;
            java.util.Arrays.fill(yes, 0, words, 0L);
            if (column != null) {
                for (int i = 0; i < n; i++) {
                    int d = r.doc[i];
                    boolean p = position < 0 ? column.isPresent(d) : column.isPresent(d) && column.elementCount(d) > position;
                    if (p) yes[i >>> 6] |= 1L << i;
                }
            }
            for (int w = 0; w < words; w++) no[w] = ~yes[w];
        }
    }
}
