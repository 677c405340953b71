package dev.strata.node.index;

import dev.strata.core.segment.Words;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * The documents of each distinct value of one kind under one path, by value in ascending order.
 * Values are longs (ints, epoch days, epoch micros), doubles (floats; -0.0 is kept as 0.0), or
 * dictionary codes (strings), whose values are implicit: code {@code i} is key {@code i}. A value
 * held by at least {@value #BITMAP_AT} elements has a prebuilt bitmap (RoaringBitmap's portable
 * form, read in place); the others list their documents, ascending, in one shared array. A range of
 * keys found by binary search is a set of documents. Every part lives in a memory segment: on the
 * heap when just built, mapped from the segment file otherwise.
 *
 * <pre>
 * keys    distinct values (longs or doubles; absent for codes)       keyCount
 * starts  where each key's documents start in docs (ints)            keyCount + 1
 * docs    documents of the keys without a bitmap (ints)
 * bkeys   the keys with a bitmap, ascending (ints)
 * boffs   where each of those bitmaps starts in bits (longs)         bkeys + 1
 * bits    the bitmaps, one after another
 * </pre>
 */
public final class Postings {
    /** A value held by at least this many elements gets a prebuilt bitmap instead of a run of documents. */
    static final int BITMAP_AT = 64;

    /** The stored parts (what a segment file holds); {@code keys} is null for dictionary codes. */
    public record Parts(MemorySegment keys, boolean doubleKeys, int keyCount, MemorySegment starts, MemorySegment docs,
                        MemorySegment bitmapKeys, MemorySegment bitmapOffsets, MemorySegment bitmaps) {}

    private final Parts p;
    private final int bitmapCount;

    public Postings(Parts parts) {
        this.p = parts;
        this.bitmapCount = (int) (parts.bitmapKeys().byteSize() / Integer.BYTES);
    }

    public Parts parts() { return p; }

    public int keyCount() { return p.keyCount(); }

    public boolean isDouble() { return p.doubleKeys(); }

    long longKey(int i) { return p.keys() == null ? i : p.keys().getAtIndex(Words.LONG, i); }

    double doubleKey(int i) { return p.keys().getAtIndex(Words.DOUBLE, i); }

    /** A predicate over keys that is false up to some key and true from there on. */
    interface Monotone { boolean test(Postings p, int i); }

    /** The first key satisfying {@code m} ({@link #keyCount()} if none). */
    int firstWhere(Monotone m) {
        int lo = 0;
        int hi = keyCount();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (m.test(this, mid)) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private int start(int key) { return p.starts().getAtIndex(Words.INT, key); }

    private int bitmapKey(int i) { return p.bitmapKeys().getAtIndex(Words.INT, i); }

    /** The first bitmap entry whose key is {@code >= key}. */
    private int firstBitmapAt(int key) {
        int lo = 0;
        int hi = bitmapCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bitmapKey(mid) >= key) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private ImmutableRoaringBitmap bitmapAt(int i) {
        long from = p.bitmapOffsets().getAtIndex(Words.LONG, i);
        long to = p.bitmapOffsets().getAtIndex(Words.LONG, i + 1);
        return new ImmutableRoaringBitmap(p.bitmaps().asSlice(from, to - from).asByteBuffer());
    }

    /** The documents of keys {@code [fromKey, toKey)}, as a new bitmap. */
    RoaringBitmap documents(int fromKey, int toKey) {
        RoaringBitmap out = new RoaringBitmap();
        if (fromKey >= toKey) return out;
        int from = start(fromKey);
        int to = start(toKey);
        if (from < to) {
            int[] d = p.docs().asSlice((long) from * Integer.BYTES, (long) (to - from) * Integer.BYTES).toArray(Words.INT);
            if (toKey == fromKey + 1) out.addN(d, 0, d.length); // one key's run is ascending
            else out = RoaringBitmap.bitmapOfUnordered(d);
        }
        for (int b = firstBitmapAt(fromKey); b < bitmapCount && bitmapKey(b) < toKey; b++) {
            if (out.isEmpty() && (b + 1 == bitmapCount || bitmapKey(b + 1) >= toKey)) return bitmapAt(b).toRoaringBitmap();
            out.or(bitmapAt(b).toRoaringBitmap());
        }
        return out;
    }

    /** Postings of dictionary codes: {@code codes[i]} is held by document {@code docs[i]}, documents ascending. */
    static Postings ofCodes(int[] codes, int[] docs, int n, int dictionarySize) {
        int[] key = Arrays.copyOf(codes, n);
        return group(null, false, dictionarySize, key, docs, n);
    }

    /** Postings of long values, documents ascending. */
    static Postings ofLongs(long[] values, int[] docs, int n) {
        long[] distinct = Arrays.copyOf(values, n);
        Arrays.sort(distinct);
        int k = unique(distinct);
        int[] key = new int[n];
        for (int i = 0; i < n; i++) key[i] = Arrays.binarySearch(distinct, 0, k, values[i]);
        return group(Words.of(Arrays.copyOf(distinct, k)), false, k, key, docs, n);
    }

    /** Postings of double values (no NaN), documents ascending. */
    static Postings ofDoubles(double[] values, int[] docs, int n) {
        double[] distinct = Arrays.copyOf(values, n);
        Arrays.sort(distinct);
        int k = 0;
        for (int i = 0; i < n; i++) if (k == 0 || Double.compare(distinct[k - 1], distinct[i]) != 0) distinct[k++] = distinct[i];
        int[] key = new int[n];
        for (int i = 0; i < n; i++) key[i] = Arrays.binarySearch(distinct, 0, k, values[i]);
        return group(Words.of(Arrays.copyOf(distinct, k)), true, k, key, docs, n);
    }

    private static int unique(long[] sorted) {
        int k = 0;
        for (int i = 0; i < sorted.length; i++) if (k == 0 || sorted[k - 1] != sorted[i]) sorted[k++] = sorted[i];
        return k;
    }

    /** A counting sort of the elements by key: O(n + keys), documents stay ascending within a key. */
    private static Postings group(MemorySegment keys, boolean doubleKeys, int keyCount, int[] key, int[] docs, int n) {
        int[] count = new int[keyCount + 1];
        for (int i = 0; i < n; i++) count[key[i] + 1]++;
        int[] allStarts = new int[keyCount + 1];
        for (int k = 0; k < keyCount; k++) allStarts[k + 1] = allStarts[k] + count[k + 1];
        int[] grouped = new int[n];
        int[] fill = Arrays.copyOf(allStarts, keyCount);
        for (int i = 0; i < n; i++) grouped[fill[key[i]]++] = docs[i];
        // keys with many elements become bitmaps; the rest keep their runs in one array
        int[] starts = new int[keyCount + 1];
        int[] listed = new int[n];
        int kept = 0;
        int[] bitmapKeys = new int[keyCount];
        int bitmaps = 0;
        ByteArrayOutputStream bits = new ByteArrayOutputStream();
        long[] bitmapOffsets = new long[keyCount + 1];
        for (int k = 0; k < keyCount; k++) {
            starts[k] = kept;
            int from = allStarts[k];
            int to = allStarts[k + 1];
            if (to - from >= BITMAP_AT) {
                RoaringBitmap b = new RoaringBitmap();
                b.addN(grouped, from, to - from);
                b.runOptimize();
                ByteBuffer buf = ByteBuffer.allocate(b.serializedSizeInBytes());
                b.serialize(buf);
                bitmapKeys[bitmaps] = k;
                bitmapOffsets[bitmaps++] = bits.size();
                bits.writeBytes(buf.array());
            } else {
                System.arraycopy(grouped, from, listed, kept, to - from);
                kept += to - from;
            }
        }
        starts[keyCount] = kept;
        bitmapOffsets[bitmaps] = bits.size();
        return new Postings(new Parts(keys, doubleKeys, keyCount, Words.of(starts), Words.of(Arrays.copyOf(listed, kept)),
                Words.of(Arrays.copyOf(bitmapKeys, bitmaps)), Words.of(Arrays.copyOf(bitmapOffsets, bitmaps + 1)),
                MemorySegment.ofArray(bits.toByteArray())));
    }
}
