package dev.strata.core.segment;

import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.lang.foreign.MemorySegment;
import java.util.EnumSet;
import java.util.Set;

/**
 * All values a segment holds under one flattened path (see {@link dev.strata.core.value.FieldPath}),
 * column by column. Read-only once built; safe to share between threads.
 *
 * <p>Layout: a document owns zero or more <em>elements</em> (an array contributes one element per
 * value, flattened; a scalar contributes one). Each element has a kind, kept as one bitset per
 * kind over elements ({@link #hasKind}), and a payload: a long ({@link #longAt}: int, bool as
 * 0/1, string dictionary code, date epoch day, timestamp micros; packed, see {@link PackedLongs}) or a double ({@link #doubleAt}:
 * float). Every array lives in a {@link MemorySegment}: on the heap for a segment built in memory,
 * mapped from a segment file otherwise, so readers never assume a Java array and bulk readers copy
 * ranges into their own ({@link #readLongs}, {@link #readKindBits}). Which elements belong to which
 * document comes in one of three layouts:
 * <ul>
 *   <li><b>single-valued</b> ({@link #isSingleValued()}): no document has more than one element, and
 *       element {@code d} belongs to document {@code d}: the fast path kernels read in place;
 *   <li><b>dense multi-valued</b>: the elements of document {@code d} start at an offset kept per
 *       document;
 *   <li><b>sparse</b> ({@link #isSparse()}): for a path that few documents have, only the present
 *       documents are listed (sorted) with where their elements start, so the column's memory is
 *       proportional to the values present, never to paths times documents.
 * </ul>
 * Readers that are not on the single-valued fast path ask {@link #element(int, int)},
 * {@link #elementCount(int)} and {@link #isPresent(int)}, which work for every layout.
 *
 * <p>A document is <em>present</em> when the path reaches a key (even one holding null or an empty
 * array). A document that is present with no element held an empty array.
 */
public final class FieldColumn {
    private final String name;
    private final int docCount;
    private final int elementCount;
    private final MemorySegment present;      // dense layouts: bitset over documents; null when sparse
    private final MemorySegment offsets;      // dense multi-valued: docCount + 1 element offsets (ints); else null
    private final MemorySegment sparseDocs;   // sparse: the present documents, ascending (ints); else null
    private final MemorySegment sparseStarts; // sparse: element start of each present document, plus the end (ints)
    private final int sparseCount;
    private final MemorySegment[] kindMasks;  // per kind: bitset over elements, or null
    private final PackedLongs longs;
    private final MemorySegment doubles;      // null when there are no floats
    private final StringDictionary dictionary;
    private final Set<ValueKind> kinds;

    /** The parts of a column as a segment file stores them; {@link #of} checks nothing beyond their shape. */
    public record Parts(String name, int docCount, int elementCount, MemorySegment present, MemorySegment offsets,
                        MemorySegment sparseDocs, MemorySegment sparseStarts, MemorySegment[] kindMasks, PackedLongs longs,
                        MemorySegment doubles, StringDictionary dictionary) {}

    private FieldColumn(Parts p) {
        this.name = p.name();
        this.docCount = p.docCount();
        this.elementCount = p.elementCount();
        this.present = p.present();
        this.offsets = p.offsets();
        this.sparseDocs = p.sparseDocs();
        this.sparseStarts = p.sparseStarts();
        this.sparseCount = sparseDocs == null ? 0 : (int) (sparseDocs.byteSize() / Integer.BYTES);
        this.kindMasks = p.kindMasks().clone();
        this.longs = p.longs();
        this.doubles = p.doubles();
        this.dictionary = p.dictionary() == null ? StringDictionary.EMPTY : p.dictionary();
        EnumSet<ValueKind> k = EnumSet.noneOf(ValueKind.class);
        for (ValueKind kind : ValueKind.values()) {
            if (kindMasks[kind.ordinal()] != null) k.add(kind);
        }
        this.kinds = java.util.Collections.unmodifiableSet(k);
    }

    /** A column from its stored parts (a segment file's reader). */
    public static FieldColumn of(Parts parts) { return new FieldColumn(parts); }

    /** What this column stores, for writing it to a segment file. */
    public Parts parts() {
        return new Parts(name, docCount, elementCount, present, offsets, sparseDocs, sparseStarts, kindMasks.clone(), longs, doubles,
                dictionary);
    }

    /** A dense column built in memory: {@code offsets} null means single-valued (element d is document d). */
    static FieldColumn dense(String name, int docCount, int elementCount, long[] present, int[] offsets,
                             long[][] kindMasks, long[] longs, double[] doubles, StringDictionary dictionary) {
        return new FieldColumn(new Parts(name, docCount, elementCount, Words.of(present), offsets == null ? null : Words.of(offsets),
                null, null, masks(kindMasks), PackedLongs.of(longs), doubles == null ? null : Words.of(doubles), dictionary));
    }

    /** A sparse column built in memory: {@code docs} ascending, {@code starts} one longer (the last entry is the element count). */
    static FieldColumn sparse(String name, int docCount, int[] docs, int[] starts, long[][] kindMasks, long[] longs,
                              double[] doubles, StringDictionary dictionary) {
        return new FieldColumn(new Parts(name, docCount, starts[docs.length], null, null, Words.of(docs), Words.of(starts),
                masks(kindMasks), PackedLongs.of(longs), doubles == null ? null : Words.of(doubles), dictionary));
    }

    private static MemorySegment[] masks(long[][] kindMasks) {
        MemorySegment[] out = new MemorySegment[kindMasks.length];
        for (int i = 0; i < out.length; i++) out[i] = kindMasks[i] == null ? null : Words.of(kindMasks[i]);
        return out;
    }

    public String name() { return name; }

    public int docCount() { return docCount; }

    public int elementCount() { return elementCount; }

    /** True when element {@code d} belongs to document {@code d} (at most one element each, dense). */
    public boolean isSingleValued() { return offsets == null && sparseDocs == null; }

    /** True when only the present documents are listed (a path few documents have). */
    public boolean isSparse() { return sparseDocs != null; }

    /** The kinds that occur in this column. */
    public Set<ValueKind> kinds() { return kinds; }

    /** Whether element {@code e} is of {@code kind}. */
    public boolean hasKind(ValueKind kind, int e) {
        MemorySegment m = kindMasks[kind.ordinal()];
        return m != null && Words.bit(m, e);
    }

    /** Whether element {@code e} is of any kind (false for the empty slot of an absent document in a single-valued column). */
    public boolean hasElement(int e) {
        for (ValueKind k : kinds) if (Words.bit(kindMasks[k.ordinal()], e)) return true;
        return false;
    }

    /** The long payload of element {@code e} (int, bool, string code, date, timestamp). */
    public long longAt(int e) { return longs.get(e); }

    /** The double payload of element {@code e} (a float element); 0 when the column has no floats. */
    public double doubleAt(int e) { return doubles == null ? 0.0 : doubles.getAtIndex(Words.DOUBLE, e); }

    /** Copies the long payloads of elements {@code from .. from+n} into {@code dst[0..n)}. */
    public void readLongs(int from, long[] dst, int n) { longs.read(from, dst, n); }

    /** Copies the double payloads of elements {@code from .. from+n} into {@code dst[0..n)} (zeros when there are no floats). */
    public void readDoubles(int from, double[] dst, int n) {
        if (doubles == null) java.util.Arrays.fill(dst, 0, n, 0.0);
        else Words.copyDoubles(doubles, from, dst, n);
    }

    /** Sets bit {@code i} of {@code dst} when element {@code from + i} is of {@code kind}, for {@code i < n}. */
    public void readKindBits(ValueKind kind, int from, long[] dst, int n) {
        MemorySegment m = kindMasks[kind.ordinal()];
        if (m == null) java.util.Arrays.fill(dst, 0, Bits.words(n), 0L);
        else Words.copyBits(m, from, dst, n);
    }

    /**
     * The bitset over elements of {@code kind} as stored (read-only), or null when no element has
     * it: for hot readers that test bits themselves (a WASM host call per document).
     */
    public MemorySegment kindBits(ValueKind kind) {
        MemorySegment m = kindMasks[kind.ordinal()];
        return m;
    }

    /** The long payloads as stored (read-only). */
    public PackedLongs packedLongs() { return longs; }

    /** The double payloads as stored (read-only), or null when the column has no floats. */
    public MemorySegment doublesSegment() { return doubles; }

    /** The dictionary of string elements (empty when there are none). */
    public StringDictionary dictionary() { return dictionary; }

    private int sparseIndex(int doc) {
        int lo = 0;
        int hi = sparseCount - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int d = sparseDocs.getAtIndex(Words.INT, mid);
            if (d < doc) lo = mid + 1;
            else if (d > doc) hi = mid - 1;
            else return mid;
        }
        return -1;
    }

    private int start(int i) { return sparseStarts.getAtIndex(Words.INT, i); }

    private int offset(int doc) { return offsets.getAtIndex(Words.INT, doc); }

    /** Whether the path reaches a key in {@code doc}. */
    public boolean isPresent(int doc) {
        if (sparseDocs != null) return sparseIndex(doc) >= 0;
        return Words.bit(present, doc);
    }

    /** How many documents the path reaches. */
    public int presentCount() { return sparseDocs != null ? sparseCount : Words.cardinality(present); }

    /** The documents the path reaches, ascending (a new array). */
    public int[] presentDocs() {
        if (sparseDocs != null) return Words.ints(sparseDocs);
        int[] out = new int[presentCount()];
        int k = 0;
        long words = present.byteSize() >>> 3;
        for (int w = 0; w < words; w++) {
            long word = present.getAtIndex(Words.LONG, w);
            while (word != 0) {
                out[k++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return out;
    }

    /** First element index of {@code doc} (meaningful only when {@link #elementCount(int)} is positive). */
    public int elementStart(int doc) {
        if (offsets != null) return offset(doc);
        if (sparseDocs != null) {
            int i = sparseIndex(doc);
            return i >= 0 ? start(i) : 0;
        }
        return doc;
    }

    /** Number of elements of {@code doc}. */
    public int elementCount(int doc) {
        if (offsets != null) return offset(doc + 1) - offset(doc);
        if (sparseDocs != null) {
            int i = sparseIndex(doc);
            return i >= 0 ? start(i + 1) - start(i) : 0;
        }
        return Words.bit(present, doc) && hasElement(doc) ? 1 : 0;
    }

    /** The element at {@code position} (0-based) among {@code doc}'s, or -1 when it has fewer. */
    public int element(int doc, int position) {
        if (offsets != null) {
            int s = offset(doc);
            return position < offset(doc + 1) - s ? s + position : -1;
        }
        if (sparseDocs != null) {
            int i = sparseIndex(doc);
            return i >= 0 && position < start(i + 1) - start(i) ? start(i) + position : -1;
        }
        return position == 0 && Words.bit(present, doc) && hasElement(doc) ? doc : -1;
    }

    /** The document of every element, in element order (a new array; for building indexes). */
    public int[] elementDocs() {
        int[] out = new int[elementCount];
        if (sparseDocs != null) {
            for (int i = 0; i < sparseCount; i++) java.util.Arrays.fill(out, start(i), start(i + 1), sparseDocs.getAtIndex(Words.INT, i));
        } else if (offsets != null) {
            for (int d = 0; d < docCount; d++) java.util.Arrays.fill(out, offset(d), offset(d + 1), d);
        } else {
            for (int e = 0; e < elementCount; e++) out[e] = e;
        }
        return out;
    }

    /** Kind of element {@code e}, or null if element {@code e} is a slot of an absent or empty document. */
    public ValueKind elementKind(int e) {
        for (ValueKind k : kinds) {
            if (Words.bit(kindMasks[k.ordinal()], e)) return k;
        }
        return null;
    }

    /** Element {@code e} as a value (objects come back as an empty object: columns do not keep them). */
    public Value elementValue(int e) {
        ValueKind k = elementKind(e);
        if (k == null) throw new IllegalArgumentException("no element " + e + " in column " + name);
        return switch (k) {
            case NULL -> Value.NULL;
            case BOOL -> Value.of(longAt(e) != 0);
            case INT -> Value.of(longAt(e));
            case FLOAT -> Value.of(doubleAt(e));
            case STRING -> Value.of(dictionary.get((int) longAt(e)));
            case DATE -> new Value.DateValue((int) longAt(e));
            case TIMESTAMP -> new Value.TimestampValue(longAt(e));
            case OBJECT -> new Value.ObjectValue(java.util.Map.of());
            case ARRAY -> throw new IllegalStateException("arrays are flattened");
        };
    }

    @Override
    public String toString() {
        return "FieldColumn[" + name + ", kinds=" + kinds + (sparseDocs != null ? ", sparse" : offsets == null ? ", single" : ", multi") + "]";
    }
}
