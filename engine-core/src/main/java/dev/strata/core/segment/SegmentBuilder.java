package dev.strata.core.segment;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashMap;
import java.util.function.Consumer;

/**
 * Turns JSON documents into a {@link Segment}. Schemaless: each path's kinds are whatever the
 * documents hold. A mapping may declare a path as DATE or TIMESTAMP; its string values are then
 * parsed, and a document with a value that does not parse is refused whole (nothing is added).
 * Not thread-safe.
 */
public final class SegmentBuilder {
    private final Map<String, ValueKind> mapping = new LinkedHashMap<>();
    private final Map<String, ColumnBuilder> columns = new LinkedHashMap<>();
    private final List<String> ids = new ArrayList<>();
    private final List<byte[]> sources = new ArrayList<>();

    /** Declares {@code path} as holding dates or timestamps (given as ISO strings in the JSON). */
    public SegmentBuilder map(FieldPath path, ValueKind kind) {
        if (!kind.isTemporal()) {
            throw new IllegalArgumentException("only date and timestamp mappings exist; other kinds are inferred");
        }
        mapping.put(path.columnKey(), kind);
        return this;
    }

    public int size() { return ids.size(); }

    /** Adds one document (its source is kept as {@link Json#write} of it); returns its number in the segment. */
    public int add(String id, Value.ObjectValue document) {
        return add(id, document, Json.write(document).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Adds one document whose stored source is {@code sourceJson} (the JSON bytes {@code document}
     * was parsed from, kept as they are); returns its number in the segment.
     */
    public int add(String id, Value.ObjectValue document, byte[] sourceJson) {
        Value.ObjectValue typed = mapping.isEmpty() ? document : (Value.ObjectValue) applyMapping("", document, id);
        int doc = ids.size();
        walkObject("", typed, doc);
        ids.add(id);
        sources.add(sourceJson);
        return doc;
    }

    /**
     * Adds the documents of a sealed segment that {@code deleted} does not hold, column by column
     * (what a merge does): each column's elements are copied with their kinds and payloads, so no
     * source is parsed and no value tree built; the result equals adding each document's JSON.
     * Mappings were applied when {@code s} was built. Returns the number the first one got.
     */
    public int append(Segment s, java.util.function.IntPredicate deleted) {
        int first = ids.size();
        int[] renumber = new int[s.docCount()];
        for (int d = 0; d < renumber.length; d++) {
            if (deleted.test(d)) {
                renumber[d] = -1;
                continue;
            }
            renumber[d] = ids.size();
            ids.add(s.id(d));
            sources.add(s.sourceJson(d));
        }
        for (Map.Entry<String, FieldColumn> entry : s.columns().entrySet()) {
            FieldColumn col = entry.getValue();
            ColumnBuilder c = null;
            String[] decoded = null;
            for (int d : col.presentDocs()) {
                int nd = renumber[d];
                if (nd < 0) continue;
                if (c == null) c = columns.computeIfAbsent(entry.getKey(), k -> new ColumnBuilder());
                c.markPresent(nd);
                for (int e = col.elementStart(d), end = e + col.elementCount(d); e < end; e++) {
                    ValueKind k = col.elementKind(e);
                    if (k == ValueKind.FLOAT) {
                        c.add(nd, k, 0, col.doubleAt(e), null);
                    } else if (k == ValueKind.STRING) {
                        int code = (int) col.longAt(e);
                        if (decoded == null) decoded = new String[col.dictionary().size()];
                        String v = decoded[code];
                        if (v == null) decoded[code] = v = col.dictionary().get(code);
                        c.add(nd, k, 0, 0, v);
                    } else {
                        c.add(nd, k, col.longAt(e), 0, null);
                    }
                }
            }
        }
        return first;
    }

    public Segment build() {
        int n = ids.size();
        Map<String, FieldColumn> built = new LinkedHashMap<>();
        columns.forEach((key, c) -> built.put(key, c.build(key, n)));
        return new Segment(new DocumentStore.InMemory(ids.toArray(String[]::new), sources.toArray(byte[][]::new)), built);
    }

    private Value applyMapping(String prefix, Value v, String id) {
        if (v instanceof Value.ObjectValue o) {
            Map<String, Value> out = new LinkedHashMap<>();
            o.fields().forEach((k, child) -> out.put(k, applyMapping(join(prefix, k), child, id)));
            return new Value.ObjectValue(out);
        }
        ValueKind declared = mapping.get(prefix);
        if (v instanceof Value.ArrayValue a) {
            List<Value> out = new ArrayList<>();
            for (Value e : a.elements()) out.add(e instanceof Value.ArrayValue || e instanceof Value.ObjectValue
                    ? applyMapping(prefix, e, id) : convert(prefix, declared, e, id));
            return new Value.ArrayValue(out);
        }
        return convert(prefix, declared, v, id);
    }

    private static Value convert(String path, ValueKind declared, Value v, String id) {
        if (declared == null || !(v instanceof Value.StringValue s)) {
            if (declared != null && !(v instanceof Value.NullValue) && v.kind() != declared) {
                throw mappingError(path, declared, v.kind().display(), id);
            }
            return v;
        }
        try {
            return declared == ValueKind.DATE ? new Value.DateValue(Temporal.parseDate(s.value()))
                    : new Value.TimestampValue(Temporal.parseTimestamp(s.value()));
        } catch (IllegalArgumentException e) {
            throw mappingError(path, declared, "'" + s.value() + "'", id);
        }
    }

    private static StrataException mappingError(String path, ValueKind declared, String found, String id) {
        return new StrataException(ErrorCode.TYPE_MISMATCH, "document '" + id + "': field '"
                + FieldPath.display(path) + "' is mapped as " + declared.display()
                + " but holds " + found);
    }

    private static String join(String prefix, String key) {
        return FieldPath.joinKey(prefix, key);
    }

    /**
     * Calls {@code action} with the column key ({@link FieldPath#columnKey()}) of every path
     * {@code document} reaches, the paths {@link #add} makes columns for; a key reached twice (through
     * objects in an array) may be passed twice.
     */
    public static void forEachPath(Value.ObjectValue document, Consumer<String> action) { visitObject("", document, action); }

    private static void visitObject(String prefix, Value.ObjectValue o, Consumer<String> action) {
        for (Map.Entry<String, Value> e : o.fields().entrySet()) {
            String key = join(prefix, e.getKey());
            action.accept(key);
            visitValue(key, e.getValue(), action);
        }
    }

    private static void visitValue(String key, Value v, Consumer<String> action) {
        if (v instanceof Value.ArrayValue a) {
            for (Value e : a.elements()) visitValue(key, e, action);
        } else if (v instanceof Value.ObjectValue o) {
            visitObject(key, o, action);
        }
    }

    private void walkObject(String prefix, Value.ObjectValue o, int doc) {
        for (Map.Entry<String, Value> e : o.fields().entrySet()) {
            String key = join(prefix, e.getKey());
            ColumnBuilder c = columns.computeIfAbsent(key, k -> new ColumnBuilder());
            c.markPresent(doc);
            addValue(key, c, e.getValue(), doc);
        }
    }

    private void addValue(String key, ColumnBuilder c, Value v, int doc) {
        switch (v) {
            case Value.ArrayValue a -> {
                for (Value e : a.elements()) addValue(key, c, e, doc);
            }
            case Value.ObjectValue o -> {
                c.add(doc, ValueKind.OBJECT, 0, 0, null);
                walkObject(key, o, doc);
            }
            case Value.NullValue n -> c.add(doc, ValueKind.NULL, 0, 0, null);
            case Value.BoolValue b -> c.add(doc, ValueKind.BOOL, b.value() ? 1 : 0, 0, null);
            case Value.IntValue i -> c.add(doc, ValueKind.INT, i.value(), 0, null);
            case Value.FloatValue f -> c.add(doc, ValueKind.FLOAT, 0, f.value(), null);
            case Value.StringValue s -> c.add(doc, ValueKind.STRING, 0, 0, s.value());
            case Value.DateValue d -> c.add(doc, ValueKind.DATE, d.epochDay(), 0, null);
            case Value.TimestampValue t -> c.add(doc, ValueKind.TIMESTAMP, t.epochMicros(), 0, null);
        }
    }

    /**
     * Elements of one path in document order. Documents arrive in ascending order, so the present
     * ones are kept as a growing list: a path only a few documents have costs only what they hold.
     */
    private static final class ColumnBuilder {
        /** A path fewer than one document in this many has is stored sparse (see {@link FieldColumn}). */
        private static final int SPARSE_RATIO = 4;

        private int[] presentDocs = new int[4];
        private int presentCount;
        private int[] docOf = new int[4];
        private byte[] kind = new byte[4];
        private long[] longs = new long[4];
        private double[] doubles;
        private String[] strings;
        private int size;
        private int lastDoc = -1;
        private boolean multi;

        void markPresent(int doc) {
            if (presentCount > 0 && presentDocs[presentCount - 1] == doc) return; // objects in an array reach a key twice
            if (presentCount == presentDocs.length) presentDocs = Arrays.copyOf(presentDocs, presentCount * 2);
            presentDocs[presentCount++] = doc;
        }

        void add(int doc, ValueKind k, long l, double d, String s) {
            if (size == docOf.length) {
                int cap = size * 2;
                docOf = Arrays.copyOf(docOf, cap);
                kind = Arrays.copyOf(kind, cap);
                longs = Arrays.copyOf(longs, cap);
                if (doubles != null) doubles = Arrays.copyOf(doubles, cap);
                if (strings != null) strings = Arrays.copyOf(strings, cap);
            }
            if (doc == lastDoc) multi = true;
            lastDoc = doc;
            docOf[size] = doc;
            kind[size] = (byte) k.ordinal();
            longs[size] = l;
            if (k == ValueKind.FLOAT) {
                if (doubles == null) doubles = new double[docOf.length];
                doubles[size] = d == 0.0 ? 0.0 : d; // -0.0 is stored as 0.0: the two are equal
            } else if (k == ValueKind.STRING) {
                if (strings == null) strings = new String[docOf.length];
                strings[size] = s;
            }
            size++;
        }

        FieldColumn build(String key, int docCount) {
            int[] codes = strings == null ? null : new int[size];
            StringDictionary dict = dictionary(codes);
            String name = FieldPath.display(key);
            boolean sparse = (long) presentCount * SPARSE_RATIO < docCount;
            // Sparse and multi-valued columns keep one element per value; single-valued ones one per document.
            boolean compact = sparse || multi;
            int elements = compact ? size : docCount;
            long[][] masks = new long[ValueKind.values().length][];
            long[] outLongs = new long[elements];
            double[] outDoubles = doubles == null ? null : new double[elements];
            for (int i = 0; i < size; i++) {
                int e = compact ? i : docOf[i];
                int k = kind[i];
                if (masks[k] == null) masks[k] = Bits.create(elements);
                Bits.set(masks[k], e);
                outLongs[e] = k == ValueKind.STRING.ordinal() ? codes[i] : longs[i];
                if (k == ValueKind.FLOAT.ordinal()) outDoubles[e] = doubles[i];
            }
            if (sparse) {
                int[] docs = Arrays.copyOf(presentDocs, presentCount);
                int[] starts = new int[presentCount + 1];
                int e = 0;
                for (int p = 0; p < presentCount; p++) {
                    starts[p] = e;
                    while (e < size && docOf[e] == docs[p]) e++;
                }
                starts[presentCount] = e;
                return FieldColumn.sparse(name, docCount, docs, starts, masks, outLongs, outDoubles, dict);
            }
            long[] present = Bits.create(docCount);
            for (int p = 0; p < presentCount; p++) Bits.set(present, presentDocs[p]);
            int[] offsets = null;
            if (multi) {
                offsets = new int[docCount + 1];
                for (int i = 0; i < size; i++) offsets[docOf[i] + 1]++;
                for (int d = 0; d < docCount; d++) offsets[d + 1] += offsets[d];
            }
            return FieldColumn.dense(name, docCount, elements, present, offsets, masks, outLongs, outDoubles, dict);
        }

        /**
         * The distinct strings sorted by code point (their UTF-8 bytes compared unsigned), and each
         * string element's code in {@code codes}: one hash lookup per element and one sort of the
         * distinct values, never a search per element.
         */
        private StringDictionary dictionary(int[] codes) {
            if (strings == null) return StringDictionary.EMPTY;
            HashMap<String, Integer> ids = new HashMap<>();
            List<String> distinct = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String s = strings[i];
                if (s == null) continue;
                Integer id = ids.putIfAbsent(s, distinct.size());
                if (id == null) {
                    id = distinct.size();
                    distinct.add(s);
                }
                codes[i] = id;
            }
            Utf8[] sorted = new Utf8[distinct.size()];
            for (int id = 0; id < sorted.length; id++) sorted[id] = new Utf8(distinct.get(id).getBytes(StandardCharsets.UTF_8), id);
            Arrays.sort(sorted, (a, b) -> Arrays.compareUnsigned(a.bytes(), b.bytes()));
            int[] codeOf = new int[sorted.length];
            byte[][] bytes = new byte[sorted.length][];
            for (int code = 0; code < sorted.length; code++) {
                codeOf[sorted[code].id()] = code;
                bytes[code] = sorted[code].bytes();
            }
            for (int i = 0; i < size; i++) if (strings[i] != null) codes[i] = codeOf[codes[i]];
            return StringDictionary.ofSorted(bytes);
        }

        private record Utf8(byte[] bytes, int id) {}
    }
}
