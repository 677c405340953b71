package dev.strata.wasm.internal;

import dev.strata.core.segment.FieldColumn;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import dev.strata.core.segment.Segment;
import dev.strata.core.value.ValueKind;
import java.util.Arrays;

/**
 * The document a guest is looking at through the host functions: set by the invoker before each
 * call, read by the host functions of one instance. Columns are resolved once per segment and
 * handle, then read by element number; nothing here allocates per document except string copies.
 */
final class DocContext {
    /** Kind codes returned by {@code strata.kind}. */
    static final int MISSING = 0, NULL = 1, BOOL = 2, INT = 3, FLOAT = 4, STRING = 5, DATE = 6, TIMESTAMP = 7, OBJECT = 8;

    /**
     * One column as the getters need it, resolved once per segment and handle: the kind bitsets and
     * payloads as the column stores them, so a host call tests a bit and reads a value with no
     * further indirection. ABSENT when the segment lacks the path.
     */
    static final class BoundField {
        static final BoundField ABSENT = new BoundField(null);
        final FieldColumn column;
        final boolean single;
        final LongBuffer nulls, bools, ints, floats, strings, dates, timestamps, objects;
        final ByteBuffer longs;
        final long longsBase;
        final int longsWidth;
        final DoubleBuffer doubles;

        BoundField(FieldColumn c) {
            column = c;
            single = c == null || c.isSingleValued();
            nulls = bits(c, ValueKind.NULL);
            bools = bits(c, ValueKind.BOOL);
            ints = bits(c, ValueKind.INT);
            floats = bits(c, ValueKind.FLOAT);
            strings = bits(c, ValueKind.STRING);
            dates = bits(c, ValueKind.DATE);
            timestamps = bits(c, ValueKind.TIMESTAMP);
            objects = bits(c, ValueKind.OBJECT);
            longs = c == null ? null : c.packedLongs().bytes().asByteBuffer().order(ByteOrder.nativeOrder());
            longsBase = c == null ? 0 : c.packedLongs().base();
            longsWidth = c == null ? 0 : c.packedLongs().width();
            doubles = c == null || c.doublesSegment() == null ? null : doubles(c.doublesSegment());
        }

        private static LongBuffer bits(FieldColumn c, ValueKind k) { return c == null || c.kindBits(k) == null ? null : longs(c.kindBits(k)); }

        /** A buffer over the words: host calls read single values, where a buffer's get costs less than a segment's. */
        private static LongBuffer longs(MemorySegment s) {
            Object base = s.heapBase().orElse(null);
            if (base instanceof long[] a) return LongBuffer.wrap(a);
            return s.asByteBuffer().order(ByteOrder.nativeOrder()).asLongBuffer();
        }

        private static DoubleBuffer doubles(MemorySegment s) {
            Object base = s.heapBase().orElse(null);
            if (base instanceof double[] a) return DoubleBuffer.wrap(a);
            return s.asByteBuffer().order(ByteOrder.nativeOrder()).asDoubleBuffer();
        }

        /** Element 0 of {@code doc}, or -1 when the document has none. */
        int element(int doc) {
            if (this == ABSENT) return -1;
            return single ? doc : column.element(doc, 0);
        }

        /** Whether element {@code e} (of this column, or -1) has the kind whose bitset is {@code bits}. */
        static boolean has(LongBuffer bits, int e) {
            return bits != null && e >= 0 && (bits.get(e >>> 6) & (1L << e)) != 0;
        }

        /** The packed long payload of element {@code e} (see {@link dev.strata.core.segment.PackedLongs}), decoded. */
        long longAt(int e) {
            return switch (longsWidth) {
                case 0 -> longsBase;
                case 1 -> longsBase + (longs.get(e) & 0xFFL);
                case 2 -> longsBase + (longs.getShort(e << 1) & 0xFFFFL);
                case 4 -> longsBase + (longs.getInt(e << 2) & 0xFFFF_FFFFL);
                default -> longs.getLong(e << 3);
            };
        }

        double doubleAt(int e) { return doubles.get(e); }
    }

    private final FieldHandles handles;
    private Segment segment;
    private BoundField[] fields = new BoundField[8];
    int doc;
    double score = 1.0;

    DocContext(FieldHandles handles) { this.handles = handles; }

    /** Points the context at a segment; columns are resolved lazily per handle. */
    void segment(Segment s) {
        if (s != segment) {
            segment = s;
            Arrays.fill(fields, null);
        }
    }

    Segment segment() { return segment; }

    BoundField field(int h) {
        if (h < 0 || h >= handles.size()) throw new IllegalArgumentException("unknown field handle " + h + " (ask strata.field for one)");
        if (h >= fields.length) fields = Arrays.copyOf(fields, Math.max(h + 1, fields.length * 2));
        BoundField f = fields[h];
        if (f == null) {
            FieldColumn c = segment == null ? null : segment.column(handles.path(h));
            f = fields[h] = c == null ? BoundField.ABSENT : new BoundField(c);
        }
        return f;
    }

    int kind(int h) {
        BoundField f = field(h);
        if (f == BoundField.ABSENT) return MISSING;
        int e = f.element(doc);
        if (e < 0) return MISSING;
        if (BoundField.has(f.ints, e)) return INT;
        if (BoundField.has(f.floats, e)) return FLOAT;
        if (BoundField.has(f.strings, e)) return STRING;
        if (BoundField.has(f.bools, e)) return BOOL;
        if (BoundField.has(f.nulls, e)) return NULL;
        if (BoundField.has(f.dates, e)) return DATE;
        if (BoundField.has(f.timestamps, e)) return TIMESTAMP;
        if (BoundField.has(f.objects, e)) return OBJECT;
        return MISSING;
    }

    int count(int h) {
        BoundField f = field(h);
        if (f == BoundField.ABSENT) return 0;
        if (!f.single) return f.column.elementCount(doc);
        return kind(h) == MISSING ? 0 : 1;
    }

    long getLong(int h, long dflt) {
        BoundField f = field(h);
        int e = f.element(doc);
        if (BoundField.has(f.ints, e) || BoundField.has(f.dates, e) || BoundField.has(f.timestamps, e)) return f.longAt(e);
        return dflt;
    }

    double getDouble(int h, double dflt) {
        BoundField f = field(h);
        int e = f.element(doc);
        if (BoundField.has(f.floats, e)) return f.doubleAt(e);
        if (BoundField.has(f.ints, e)) return f.longAt(e);
        return dflt;
    }

    int getBool(int h, int dflt) {
        BoundField f = field(h);
        int e = f.element(doc);
        return BoundField.has(f.bools, e) ? (f.longAt(e) != 0 ? 1 : 0) : dflt;
    }

    /** The string of element 0, or null when it is not a string. */
    String getString(int h) {
        BoundField f = field(h);
        int e = f.element(doc);
        return BoundField.has(f.strings, e) ? f.column.dictionary().get((int) f.longAt(e)) : null;
    }

    String docId() { return segment.id(doc); }
}
