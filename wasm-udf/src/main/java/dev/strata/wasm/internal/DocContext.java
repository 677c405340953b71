package dev.strata.wasm.internal;

import dev.strata.core.segment.Bits;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.StringDictionary;
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

    /** One column as the getters need it; ABSENT when the segment lacks the path. */
    static final class BoundField {
        static final BoundField ABSENT = new BoundField(null);
        final FieldColumn column;
        final boolean single;
        final long[] nulls, bools, ints, floats, strings, dates, timestamps, objects;
        final long[] longs;
        final double[] doubles;
        final StringDictionary dictionary;

        BoundField(FieldColumn c) {
            column = c;
            single = c == null || c.isSingleValued();
            nulls = mask(c, ValueKind.NULL);
            bools = mask(c, ValueKind.BOOL);
            ints = mask(c, ValueKind.INT);
            floats = mask(c, ValueKind.FLOAT);
            strings = mask(c, ValueKind.STRING);
            dates = mask(c, ValueKind.DATE);
            timestamps = mask(c, ValueKind.TIMESTAMP);
            objects = mask(c, ValueKind.OBJECT);
            longs = c == null ? null : c.longs();
            doubles = c == null ? null : c.doubles();
            dictionary = c == null ? null : c.dictionary();
        }

        private static long[] mask(FieldColumn c, ValueKind k) { return c == null ? null : c.kindMask(k); }

        /** Element 0 of {@code doc}, or -1 when the document has none. */
        int element(int doc) {
            if (this == ABSENT) return -1;
            return single ? doc : column.element(doc, 0);
        }

        static boolean has(long[] mask, int e) { return mask != null && e >= 0 && Bits.get(mask, e); }
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
        if (BoundField.has(f.ints, e) || BoundField.has(f.dates, e) || BoundField.has(f.timestamps, e)) return f.longs[e];
        return dflt;
    }

    double getDouble(int h, double dflt) {
        BoundField f = field(h);
        int e = f.element(doc);
        if (BoundField.has(f.floats, e)) return f.doubles[e];
        if (BoundField.has(f.ints, e)) return f.longs[e];
        return dflt;
    }

    int getBool(int h, int dflt) {
        BoundField f = field(h);
        int e = f.element(doc);
        return BoundField.has(f.bools, e) ? (f.longs[e] != 0 ? 1 : 0) : dflt;
    }

    /** The string of element 0, or null when it is not a string. */
    String getString(int h) {
        BoundField f = field(h);
        int e = f.element(doc);
        return BoundField.has(f.strings, e) ? f.dictionary.get((int) f.longs[e]) : null;
    }

    String docId() { return segment.id(doc); }
}
