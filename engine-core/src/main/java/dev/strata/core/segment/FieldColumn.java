package dev.strata.core.segment;

import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.EnumSet;
import java.util.Set;

/**
 * All values a segment holds under one flattened path (see {@link dev.strata.core.value.FieldPath}),
 * column by column. Read-only once built; safe to share between threads.
 *
 * <p>Layout: a document owns zero or more <em>elements</em> (an array contributes one element per
 * value, flattened; a scalar contributes one). When every document has at most one element the
 * column is <em>single-valued</em>: element {@code d} belongs to document {@code d}, and
 * {@link #offsets()} is null. Otherwise the elements of document {@code d} are
 * {@code offsets[d] .. offsets[d+1]-1}. Each element has a kind, kept as one bitset per kind over
 * elements ({@link #kindMask}), and a payload in {@link #longs()} (int, bool as 0/1, string
 * dictionary code, date epoch day, timestamp micros) or {@link #doubles()} (float).
 *
 * <p>{@link #present()} is a bitset over documents: the path reaches a key (even one holding null or
 * an empty array). A document that is present with no element held an empty array.
 */
public final class FieldColumn {
    private final String name;
    private final int docCount;
    private final int elementCount;
    private final long[] present;
    private final int[] offsets;
    private final long[][] kindMasks;
    private final long[] longs;
    private final double[] doubles;
    private final StringDictionary dictionary;
    private final Set<ValueKind> kinds;

    FieldColumn(String name, int docCount, int elementCount, long[] present, int[] offsets,
                long[][] kindMasks, long[] longs, double[] doubles, StringDictionary dictionary) {
        this.name = name;
        this.docCount = docCount;
        this.elementCount = elementCount;
        this.present = present;
        this.offsets = offsets;
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

    public String name() { return name; }

    public int docCount() { return docCount; }

    public int elementCount() { return elementCount; }

    /** Bitset over documents: the path reaches a key. Do not modify. */
    public long[] present() { return present; }

    /** Element offsets per document ({@code docCount + 1} entries), or null when single-valued. Do not modify. */
    public int[] offsets() { return offsets; }

    public boolean isSingleValued() { return offsets == null; }

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

    public boolean isPresent(int doc) { return Bits.get(present, doc); }

    /** First element index of {@code doc}. */
    public int elementStart(int doc) { return offsets == null ? doc : offsets[doc]; }

    /** Number of elements of {@code doc}. */
    public int elementCount(int doc) {
        if (offsets != null) return offsets[doc + 1] - offsets[doc];
        return Bits.get(present, doc) && elementKind(doc) != null ? 1 : 0;
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
        return "FieldColumn[" + name + ", kinds=" + kinds + (offsets == null ? ", single" : ", multi") + "]";
    }

}
