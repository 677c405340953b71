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
        final long[] hasElement;

        Locator(FieldColumn column, int slot, int position) {
            this.column = column;
            this.slot = slot;
            this.position = position;
            this.hasElement = column == null || !column.isSingleValued() ? null : anyKind(column);
        }

        /** True when row i reads element base + i: the contiguous fast path. */
        boolean direct(Rows r) {
            return r.base >= 0 && column != null && column.isSingleValued() && slot < 0 && position <= 0
                    && (position < 0 || hasElement != null);
        }

        /** The element row {@code i} reads, or -1 for none. */
        int element(Rows r, int i) {
            if (column == null) return -1;
            if (slot >= 0) return r.elem[slot][i];
            int d = r.doc[i];
            if (column.isSingleValued()) {
                if (position > 0) return -1;
                if (position == 0 && !Bits.get(hasElement, d)) return -1;
                return d;
            }
            return column.element(d, Math.max(position, 0));
        }

        private static long[] anyKind(FieldColumn c) {
            long[] any = Bits.create(c.elementCount());
            for (ValueKind k : c.kinds()) {
                long[] m = c.kindMask(k);
                for (int w = 0; w < any.length; w++) any[w] |= m[w];
            }
            return any;
        }
    }

    /** Copies bits [from, from + n) of {@code src} to bits [0, n) of {@code dst}. */
    static void copyBits(long[] src, int from, long[] dst, int n) {
        int words = Bits.words(n);
        int shift = from & 63;
        int w0 = from >>> 6;
        for (int w = 0; w < words; w++) {
            long lo = w0 + w < src.length ? src[w0 + w] >>> shift : 0;
            long hi = shift == 0 || w0 + w + 1 >= src.length ? 0 : src[w0 + w + 1] << (64 - shift);
            dst[w] = lo | hi;
        }
    }

    private static boolean bit(long[] mask, int e) { return mask != null && Bits.get(mask, e); }

    /** Int, bool, date or timestamp elements (timestamps also read dates, at midnight UTC). */
    static final class LongField extends Vec.OfLong {
        private final Locator at;
        private final long[] mask;
        private final long[] dateMask;

        LongField(Locator at, Type type) {
            this.at = at;
            FieldColumn c = at.column;
            ValueKind kind = switch (type) {
                case INT -> ValueKind.INT;
                case BOOL -> ValueKind.BOOL;
                case DATE -> ValueKind.DATE;
                default -> ValueKind.TIMESTAMP;
            };
            this.mask = c == null ? null : c.kindMask(kind);
            this.dateMask = c == null || type != Type.TIMESTAMP ? null : c.kindMask(ValueKind.DATE);
        }

        /**
         * When the rows are contiguous documents of a single-valued column, fills only the validity
         * bits and returns true: the caller reads {@code source()[r.base + i]} in place, with no copy.
         */
        boolean evalInPlace(Rows r) {
            if (mask == null || dateMask != null || !at.direct(r)) return false;
            ensureValid(r.n);
            copyBits(mask, r.base, valid, r.n);
            return true;
        }

        long[] source() { return at.column.longs(); }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            if (mask == null && dateMask == null) {
                java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
                return;
            }
            long[] payload = at.column.longs();
            if (at.direct(r) && dateMask == null) {
                System.arraycopy(payload, r.base, v, 0, n);
                copyBits(mask, r.base, valid, n);
                return;
            }
            java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
            for (int i = 0; i < n; i++) {
                int e = at.element(r, i);
                if (e < 0) continue;
                if (bit(mask, e)) {
                    v[i] = payload[e];
                    valid[i >>> 6] |= 1L << i;
                } else if (bit(dateMask, e)) {
                    v[i] = Temporal.dateToMicros((int) payload[e]);
                    valid[i >>> 6] |= 1L << i;
                }
            }
        }
    }

    /** Float elements, and int elements widened to float. */
    static final class DoubleField extends Vec.OfDouble {
        private final Locator at;
        private final long[] floatMask;
        private final long[] intMask;

        DoubleField(Locator at) {
            this.at = at;
            this.floatMask = at.column == null ? null : at.column.kindMask(ValueKind.FLOAT);
            this.intMask = at.column == null ? null : at.column.kindMask(ValueKind.INT);
        }

        /** As {@link LongField#evalInPlace}: a float-only single-valued column read in place. */
        boolean evalInPlace(Rows r) {
            if (floatMask == null || intMask != null || !at.direct(r)) return false;
            ensureValid(r.n);
            copyBits(floatMask, r.base, valid, r.n);
            return true;
        }

        double[] source() { return at.column.doubles(); }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            if (floatMask == null && intMask == null) {
                java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
                return;
            }
            if (at.direct(r) && intMask == null) {
                System.arraycopy(at.column.doubles(), r.base, v, 0, n);
                copyBits(floatMask, r.base, valid, n);
                return;
            }
            if (at.direct(r) && floatMask == null) {
                long[] longs = at.column.longs();
                int b = r.base;
                for (int i = 0; i < n; i++) v[i] = longs[b + i];
                copyBits(intMask, b, valid, n);
                return;
            }
            double[] doubles = at.column.doubles();
            long[] longs = at.column.longs();
            java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
            for (int i = 0; i < n; i++) {
                int e = at.element(r, i);
                if (e < 0) continue;
                if (bit(floatMask, e)) {
                    v[i] = doubles[e];
                    valid[i >>> 6] |= 1L << i;
                } else if (bit(intMask, e)) {
                    v[i] = longs[e];
                    valid[i >>> 6] |= 1L << i;
                }
            }
        }
    }

    /** String elements as dictionary codes; the strings themselves only when a consumer asks. */
    static final class StringField extends Vec.OfString {
        final Locator at;
        final StringDictionary dictionary;
        private final long[] mask;
        long[] codes = new long[0];
        private int lastN;

        StringField(Locator at) {
            this.at = at;
            this.mask = at.column == null ? null : at.column.kindMask(ValueKind.STRING);
            this.dictionary = at.column == null ? null : at.column.dictionary();
        }

        /** As {@link LongField#evalInPlace}: dictionary codes read in place. */
        boolean evalInPlace(Rows r) {
            if (mask == null || !at.direct(r)) return false;
            ensureValid(r.n);
            copyBits(mask, r.base, valid, r.n);
            return true;
        }

        long[] source() { return at.column.longs(); }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            lastN = n;
            if (codes.length < n) codes = new long[Math.max(n, codes.length * 2)];
            if (mask == null) {
                java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
                return;
            }
            long[] payload = at.column.longs();
            if (at.direct(r)) {
                System.arraycopy(payload, r.base, codes, 0, n);
                copyBits(mask, r.base, valid, n);
                return;
            }
            java.util.Arrays.fill(valid, 0, Bits.words(n), 0L);
            for (int i = 0; i < n; i++) {
                int e = at.element(r, i);
                if (e >= 0 && bit(mask, e)) {
                    codes[i] = payload[e];
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
        private final long[] nullMask;
        private final boolean negated;

        FieldIsNull(Locator at, boolean negated) {
            this.at = at;
            this.nullMask = at.column == null ? null : at.column.kindMask(ValueKind.NULL);
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
                if (bit(nullMask, e)) t[i >>> 6] |= 1L << i;
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
