package dev.strata.node.index;

import dev.strata.core.segment.Bits;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.StringDictionary;
import dev.strata.core.value.CodePoints;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.core.segment.Words;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * The indexes of one sealed segment. Built once, then read by any number of queries at once.
 * Every method returns a bitmap the caller owns and may mutate.
 *
 * <p>Range answers follow the expression tier's comparison rules exactly, so an index leaf and the
 * same leaf evaluated by a scan give the same TRUE set: strings compare by code point; ints and
 * floats compare as numbers (an int widened to float against a float bound); dates and
 * timestamps compare in epoch microseconds (a date at midnight UTC). An element of another kind
 * never satisfies a comparison, and a document matches if any of its elements does.
 */
public final class SegmentIndex {
    private static final long MICROS_PER_DAY = 86_400_000_000L;

    /** The kinds of constant a range can be asked about. */
    public enum Family { STRING, NUMERIC, TEMPORAL }

    private final int docCount;
    private final Map<String, PathIndex> paths;
    private final Map<String, StringDictionary> dictionaries;

    private SegmentIndex(int docCount, Map<String, PathIndex> paths, Map<String, StringDictionary> dictionaries) {
        this.docCount = docCount;
        this.paths = paths;
        this.dictionaries = dictionaries;
    }

    /**
     * The indexes of one path, as a segment file stores them: the documents that have it (a bitmap
     * in RoaringBitmap's portable serialization, read in place), and {@link Postings} per kind (null
     * when no element has it).
     */
    public record PathIndex(MemorySegment exists, Postings strings, Postings ints, Postings floats, Postings dates, Postings timestamps) {
        ImmutableRoaringBitmap existsBitmap() { return new ImmutableRoaringBitmap(exists.asByteBuffer()); }
    }

    public int docCount() { return docCount; }

    /** Every path's indexes, keyed by column key: what a segment file stores. */
    public Map<String, PathIndex> parts() { return paths; }

    /** Indexes over stored parts (a segment file's reader); dictionaries come from the segment's columns. */
    public static SegmentIndex of(Segment segment, Map<String, PathIndex> parts) {
        Map<String, StringDictionary> dicts = new HashMap<>();
        segment.columns().forEach((key, c) -> dicts.put(key, c.dictionary()));
        return new SegmentIndex(segment.docCount(), Map.copyOf(parts), Map.copyOf(dicts));
    }

    /** Builds every index of {@code segment}: O(n) for strings, O(n log distinct) for numbers, once per seal. */
    public static SegmentIndex build(Segment segment) {
        Map<String, PathIndex> paths = new HashMap<>();
        segment.columns().forEach((key, column) -> paths.put(key, buildPath(column)));
        return of(segment, paths);
    }

    private static MemorySegment serialize(RoaringBitmap b) {
        b.runOptimize();
        ByteBuffer buf = ByteBuffer.allocate(b.serializedSizeInBytes());
        b.serialize(buf);
        return MemorySegment.ofArray(buf.array());
    }

    private static PathIndex buildPath(FieldColumn c) {
        MemorySegment exists = serialize(RoaringBitmap.bitmapOf(c.presentDocs()));
        int[] docOf = c.isSingleValued() ? null : c.elementDocs();
        return new PathIndex(exists, postings(c, docOf, ValueKind.STRING), postings(c, docOf, ValueKind.INT),
                postings(c, docOf, ValueKind.FLOAT), postings(c, docOf, ValueKind.DATE), postings(c, docOf, ValueKind.TIMESTAMP));
    }

    /** The (value, document) pairs of one kind; {@code docOf} maps elements to documents (null: the same). */
    private static Postings postings(FieldColumn c, int[] docOf, ValueKind kind) {
        if (!c.kinds().contains(kind)) return null;
        int elements = c.elementCount();
        long[] mask = new long[Bits.words(elements)];
        c.readKindBits(kind, 0, mask, elements);
        int n = Bits.cardinality(mask);
        int[] docs = new int[n];
        long[] longs = kind == ValueKind.FLOAT ? null : new long[n];
        double[] doubles = kind == ValueKind.FLOAT ? new double[n] : null;
        int k = 0;
        for (int w = 0; w < mask.length; w++) {
            long word = mask[w];
            while (word != 0) {
                int e = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                docs[k] = docOf == null ? e : docOf[e];
                if (doubles != null) doubles[k] = c.doubleAt(e); else longs[k] = c.longAt(e);
                k++;
            }
        }
        if (doubles != null) return Postings.ofDoubles(doubles, docs, n);
        if (kind != ValueKind.STRING) return Postings.ofLongs(longs, docs, n);
        int[] codes = new int[n];
        for (int i = 0; i < n; i++) codes[i] = (int) longs[i];
        return Postings.ofCodes(codes, docs, n, c.dictionary().size());
    }

    /** Every document of the segment. */
    public RoaringBitmap all() {
        RoaringBitmap b = new RoaringBitmap();
        b.add(0L, docCount);
        return b;
    }

    /** Documents in which the path reaches a key (even one holding null or an empty array). */
    public RoaringBitmap exists(String columnKey) {
        PathIndex p = paths.get(columnKey);
        return p == null ? new RoaringBitmap() : p.existsBitmap().toRoaringBitmap();
    }

    /** How many documents have the path; cheap, for estimates. */
    public long existsCount(String columnKey) {
        PathIndex p = paths.get(columnKey);
        return p == null ? 0 : p.existsBitmap().getLongCardinality();
    }

    /**
     * Documents with an element of {@code family} inside the range. Either bound may be null
     * (open); a bound must be of the family (the planner checks).
     */
    public RoaringBitmap range(String columnKey, Family family, Bound lower, Bound upper) {
        PathIndex p = paths.get(columnKey);
        if (p == null) return new RoaringBitmap();
        return switch (family) {
            case STRING -> stringRange(p, dictionaries.get(columnKey), lower, upper);
            case NUMERIC -> union(slice(p.ints(), lower, upper, SegmentIndex::compareInt),
                    slice(p.floats(), lower, upper, SegmentIndex::compareFloat));
            case TEMPORAL -> union(slice(p.dates(), lower, upper, SegmentIndex::compareDate),
                    slice(p.timestamps(), lower, upper, SegmentIndex::compareTimestamp));
        };
    }

    private interface KeyCompare { int compare(Postings p, int i, Value bound); }

    private static RoaringBitmap slice(Postings p, Bound lower, Bound upper, KeyCompare cmp) {
        if (p == null) return null;
        int from = lower == null ? 0 : p.firstWhere((s, i) -> {
            int c = cmp.compare(s, i, lower.value());
            return lower.inclusive() ? c >= 0 : c > 0;
        });
        int to = upper == null ? p.keyCount() : p.firstWhere((s, i) -> {
            int c = cmp.compare(s, i, upper.value());
            return upper.inclusive() ? c > 0 : c >= 0;
        });
        return p.documents(from, to);
    }

    private static RoaringBitmap union(RoaringBitmap a, RoaringBitmap b) {
        if (a == null) return b == null ? new RoaringBitmap() : b;
        if (b != null) a.or(b);
        return a;
    }

    private static int compareInt(Postings p, int i, Value bound) {
        long key = p.longKey(i);
        return bound instanceof Value.IntValue v ? Long.compare(key, v.value())
                : Double.compare((double) key, ((Value.FloatValue) bound).value());
    }

    private static int compareFloat(Postings p, int i, Value bound) {
        double b = bound instanceof Value.IntValue v ? (double) v.value() : ((Value.FloatValue) bound).value();
        return Double.compare(p.doubleKey(i), b);
    }

    private static long micros(Value bound) {
        return bound instanceof Value.DateValue d ? d.epochDay() * MICROS_PER_DAY : ((Value.TimestampValue) bound).epochMicros();
    }

    private static int compareDate(Postings p, int i, Value bound) {
        return Long.compare(p.longKey(i) * MICROS_PER_DAY, micros(bound));
    }

    private static int compareTimestamp(Postings p, int i, Value bound) {
        return Long.compare(p.longKey(i), micros(bound));
    }

    private static RoaringBitmap stringRange(PathIndex p, StringDictionary dict, Bound lower, Bound upper) {
        if (p.strings() == null) return new RoaringBitmap();
        int fromCode = lower == null ? 0 : firstCode(dict, ((Value.StringValue) lower.value()).value(), !lower.inclusive());
        int toCode = upper == null ? dict.size() : firstCode(dict, ((Value.StringValue) upper.value()).value(), upper.inclusive());
        return p.strings().documents(fromCode, toCode); // a code is its own key
    }

    /** The first dictionary code whose string is {@code >= s} (or {@code > s} when strict). */
    private static int firstCode(StringDictionary dict, String s, boolean strict) {
        int at = dict.lookup(s);
        if (at < 0) return -at - 1; // the insertion point: the first code greater than s
        return strict ? at + 1 : at;
    }
}
