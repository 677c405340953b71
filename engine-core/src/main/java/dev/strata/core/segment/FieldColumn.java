package dev.strata.core.segment;

import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * All values a segment holds under one flattened path (see {@link dev.strata.core.value.FieldPath}),
 * column by column. Read-only once built; safe to share between threads.
 *
 * <p>Layout: a document owns zero or more <em>elements</em> (an array contributes one element per
 * value, flattened; a scalar contributes one). Each element has a kind, kept as one bitset per
 * kind over elements ({@link #kindMask}), and a payload in {@link #longs()} (int, bool as 0/1,
 * string dictionary code, date epoch day, timestamp micros) or {@link #doubles()} (float). Which
 * elements belong to which document comes in one of three layouts:
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
    private final long[] present;      // dense layouts: bitset over documents; null when sparse
    private final int[] offsets;       // dense multi-valued: docCount + 1 element offsets; else null
    private final int[] sparseDocs;    // sparse: the present documents, ascending; else null
    private final int[] sparseStarts;  // sparse: element start of each present document, plus the end
    private final long[][] kindMasks;
    private final long[] longs;
    private final double[] doubles;
    private final StringDictionary dictionary;
    private final Set<ValueKind> kinds;

    private FieldColumn(String name, int docCount, int elementCount, long[] present, int[] offsets, int[] sparseDocs,
                        int[] sparseStarts, long[][] kindMasks, long[] longs, double[] doubles, StringDictionary dictionary) {
        this.name = name;
        this.docCount = docCount;
        this.elementCount = elementCount;
        this.present = present;
        this.offsets = offsets;
        this.sparseDocs = sparseDocs;
        this.sparseStarts = sparseStarts;
        this.kindMasks = kindMasks;
        this.longs = longs;
        this.doubles = doubles;
        this.dictionary = dictionary;
        EnumSet<ValueKind> k = EnumSet.noneOf(ValueKind.class);
        for (ValueKind kind : ValueKind.values()) {
            if (kindMasks[kind.ordinal()] != null) k.add(kind);
        }
        this.kinds = java.util.Collections.unmodifiableSet(k);
    }

    /** A dense column: {@code offsets} null means single-valued (element d is document d). */
    static FieldColumn dense(String name, int docCount, int elementCount, long[] present, int[] offsets,
                             long[][] kindMasks, long[] longs, double[] doubles, StringDictionary dictionary) {
        return new FieldColumn(name, docCount, elementCount, present, offsets, null, null, kindMasks, longs, doubles, dictionary);
    }

    /** A sparse column: {@code docs} ascending, {@code starts} one longer (the last entry is the element count). */
    static FieldColumn sparse(String name, int docCount, int[] docs, int[] starts, long[][] kindMasks, long[] longs,
                              double[] doubles, StringDictionary dictionary) {
        return new FieldColumn(name, docCount, starts[docs.length], null, null, docs, starts, kindMasks, longs, doubles, dictionary);
    }

    public String name() { return name; }

    public int docCount() { return docCount; }

    public int elementCount() { return elementCount; }

    /** True when element {@code d} belongs to document {@code d} (at most one element each, dense). */
    public boolean isSingleValued() { return offsets == null && sparseDocs == null; }

    /** True when only the present documents are listed (a path few documents have). */
    public boolean isSparse() { return sparseDocs != null; }

    /** Bitset over elements of the given kind, or null when no element has it. Do not modify. */
    public long[] kindMask(ValueKind kind) { return kindMasks[kind.ordinal()]; }

    /** The kinds that occur in this column. */
    public Set<ValueKind> kinds() { return kinds; }

    /** Payloads of int, bool, string-code, date and timestamp elements. Do not modify. */
    public long[] longs() { return longs; }

    /** Payloads of float elements. Do not modify. */
    public double[] doubles() { return doubles; }

    /** The dictionary of string elements (empty when there are none). */
    public StringDictionary dictionary() { return dictionary; }

    /** Whether the path reaches a key in {@code doc}. */
    public boolean isPresent(int doc) {
        if (sparseDocs != null) return Arrays.binarySearch(sparseDocs, doc) >= 0;
        return Bits.get(present, doc);
    }

    /** How many documents the path reaches. */
    public int presentCount() { return sparseDocs != null ? sparseDocs.length : Bits.cardinality(present); }

    /** The documents the path reaches, ascending (a new array). */
    public int[] presentDocs() {
        if (sparseDocs != null) return sparseDocs.clone();
        int[] out = new int[Bits.cardinality(present)];
        int k = 0;
        for (int w = 0; w < present.length; w++) {
            long word = present[w];
            while (word != 0) {
                out[k++] = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
            }
        }
        return out;
    }

    /** First element index of {@code doc} (meaningful only when {@link #elementCount(int)} is positive). */
    public int elementStart(int doc) {
        if (offsets != null) return offsets[doc];
        if (sparseDocs != null) {
            int i = Arrays.binarySearch(sparseDocs, doc);
            return i >= 0 ? sparseStarts[i] : 0;
        }
        return doc;
    }

    /** Number of elements of {@code doc}. */
    public int elementCount(int doc) {
        if (offsets != null) return offsets[doc + 1] - offsets[doc];
        if (sparseDocs != null) {
            int i = Arrays.binarySearch(sparseDocs, doc);
            return i >= 0 ? sparseStarts[i + 1] - sparseStarts[i] : 0;
        }
        return Bits.get(present, doc) && elementKind(doc) != null ? 1 : 0;
    }

    /** The element at {@code position} (0-based) among {@code doc}'s, or -1 when it has fewer. */
    public int element(int doc, int position) {
        if (offsets != null) return position < offsets[doc + 1] - offsets[doc] ? offsets[doc] + position : -1;
        if (sparseDocs != null) {
            int i = Arrays.binarySearch(sparseDocs, doc);
            return i >= 0 && position < sparseStarts[i + 1] - sparseStarts[i] ? sparseStarts[i] + position : -1;
        }
        return position == 0 && Bits.get(present, doc) && elementKind(doc) != null ? doc : -1;
    }

    /** The document of every element, in element order (a new array; for building indexes). */
    public int[] elementDocs() {
        int[] out = new int[elementCount];
        if (sparseDocs != null) {
            for (int i = 0; i < sparseDocs.length; i++) Arrays.fill(out, sparseStarts[i], sparseStarts[i + 1], sparseDocs[i]);
        } else if (offsets != null) {
            for (int d = 0; d < docCount; d++) Arrays.fill(out, offsets[d], offsets[d + 1], d);
        } else {
            for (int e = 0; e < elementCount; e++) out[e] = e;
        }
        return out;
    }

    /** Kind of element {@code e}, or null if element {@code e} is a slot of an absent or empty document. */
    public ValueKind elementKind(int e) {
        for (ValueKind k : kinds) {
            if (Bits.get(kindMasks[k.ordinal()], e)) return k;
        }
        return null;
    }

    /** Element {@code e} as a value (objects come back as an empty object: columns do not keep them). */
    public Value elementValue(int e) {
        ValueKind k = elementKind(e);
        if (k == null) throw new IllegalArgumentException("no element " + e + " in column " + name);
        return switch (k) {
            case NULL -> Value.NULL;
            case BOOL -> Value.of(longs[e] != 0);
            case INT -> Value.of(longs[e]);
            case FLOAT -> Value.of(doubles[e]);
            case STRING -> Value.of(dictionary.get((int) longs[e]));
            case DATE -> new Value.DateValue((int) longs[e]);
            case TIMESTAMP -> new Value.TimestampValue(longs[e]);
            case OBJECT -> new Value.ObjectValue(java.util.Map.of());
            case ARRAY -> throw new IllegalStateException("arrays are flattened");
        };
    }

    @Override
    public String toString() {
        return "FieldColumn[" + name + ", kinds=" + kinds + (sparseDocs != null ? ", sparse" : offsets == null ? ", single" : ", multi") + "]";
    }
}
