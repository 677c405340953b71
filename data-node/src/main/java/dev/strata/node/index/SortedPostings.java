package dev.strata.node.index;

import dev.strata.core.segment.Words;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * The elements of one kind under one path, as (key, document) pairs sorted by key then document.
 * Keys are longs (ints, dictionary codes, epoch days, epoch micros) or doubles (floats; -0.0 is
 * stored as 0.0). A range of positions found by binary search is a set of documents. The keys and
 * documents live in memory segments: on the heap when just built, mapped from the segment file
 * otherwise.
 */
public final class SortedPostings {
    private final MemorySegment keys;   // longs or doubles
    private final boolean doubleKeys;
    private final MemorySegment docs;   // ints
    private final int size;

    /** Postings over stored parts (a segment file's reader). */
    public SortedPostings(MemorySegment keys, boolean doubleKeys, MemorySegment docs) {
        this.keys = keys;
        this.doubleKeys = doubleKeys;
        this.docs = docs;
        this.size = (int) (docs.byteSize() / Integer.BYTES);
    }

    static SortedPostings ofLongs(long[] keys, int[] docs, int size) {
        long[] k = Arrays.copyOf(keys, size);
        int[] d = Arrays.copyOf(docs, size);
        sort(k, null, d, 0, size - 1);
        return new SortedPostings(Words.of(k), false, Words.of(d));
    }

    static SortedPostings ofDoubles(double[] keys, int[] docs, int size) {
        double[] k = Arrays.copyOf(keys, size);
        int[] d = Arrays.copyOf(docs, size);
        sort(null, k, d, 0, size - 1);
        return new SortedPostings(Words.of(k), true, Words.of(d));
    }

    public MemorySegment keys() { return keys; }

    public MemorySegment docs() { return docs; }

    public int size() { return size; }

    public boolean isDouble() { return doubleKeys; }

    long longKey(int i) { return keys.getAtIndex(Words.LONG, i); }

    double doubleKey(int i) { return keys.getAtIndex(Words.DOUBLE, i); }

    /** A predicate over keys that is false up to some position and true from there on. */
    interface Monotone { boolean test(SortedPostings p, int i); }

    /** The first position whose key satisfies {@code p} (size() if none). */
    int firstWhere(Monotone p) {
        int lo = 0;
        int hi = size;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.test(this, mid)) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    private int[] slice(int from, int to) {
        return docs.asSlice((long) from * Integer.BYTES, (long) (to - from) * Integer.BYTES).toArray(Words.INT);
    }

    /** The documents at positions {@code [from, to)}, as a new bitmap. */
    RoaringBitmap documents(int from, int to) {
        if (from >= to) return new RoaringBitmap();
        return RoaringBitmap.bitmapOfUnordered(slice(from, to));
    }

    /** Documents at [from, to) that are already in ascending order (one key's run). */
    RoaringBitmap sortedDocuments(int from, int to) {
        RoaringBitmap b = new RoaringBitmap();
        if (from < to) {
            int[] d = slice(from, to);
            b.addN(d, 0, d.length);
        }
        return b;
    }

    // An in-place quicksort of parallel arrays: by key, then by document. Ties on key keep
    // documents ascending, so one key's run is a sorted list.
    private static void sort(long[] lk, double[] dk, int[] d, int lo, int hi) {
        while (lo < hi) {
            if (hi - lo < 16) {
                insertion(lk, dk, d, lo, hi);
                return;
            }
            int mid = (lo + hi) >>> 1;
            swap(lk, dk, d, mid, hi);
            int store = lo;
            for (int i = lo; i < hi; i++) {
                if (less(lk, dk, d, i, hi)) swap(lk, dk, d, i, store++);
            }
            swap(lk, dk, d, store, hi);
            if (store - lo < hi - store) {
                sort(lk, dk, d, lo, store - 1);
                lo = store + 1;
            } else {
                sort(lk, dk, d, store + 1, hi);
                hi = store - 1;
            }
        }
    }

    private static void insertion(long[] lk, double[] dk, int[] d, int lo, int hi) {
        for (int i = lo + 1; i <= hi; i++) {
            for (int j = i; j > lo && less(lk, dk, d, j, j - 1); j--) swap(lk, dk, d, j, j - 1);
        }
    }

    private static boolean less(long[] lk, double[] dk, int[] d, int a, int b) {
        int c = lk != null ? Long.compare(lk[a], lk[b]) : Double.compare(dk[a], dk[b]);
        return c < 0 || (c == 0 && d[a] < d[b]);
    }

    private static void swap(long[] lk, double[] dk, int[] d, int a, int b) {
        if (lk != null) { long t = lk[a]; lk[a] = lk[b]; lk[b] = t; }
        else { double t = dk[a]; dk[a] = dk[b]; dk[b] = t; }
        int t = d[a]; d[a] = d[b]; d[b] = t;
    }
}
