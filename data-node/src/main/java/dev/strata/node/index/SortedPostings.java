package dev.strata.node.index;

import java.util.Arrays;
import org.roaringbitmap.RoaringBitmap;

/**
 * The elements of one kind under one path, as (key, document) pairs sorted by key then document.
 * Keys are longs (ints, dictionary codes, epoch days, epoch micros) or doubles (floats; -0.0 is
 * stored as 0.0). A range of positions found by binary search is a set of documents.
 */
final class SortedPostings {
    private final long[] longKeys;
    private final double[] doubleKeys;
    private final int[] docs;

    private SortedPostings(long[] longKeys, double[] doubleKeys, int[] docs) {
        this.longKeys = longKeys;
        this.doubleKeys = doubleKeys;
        this.docs = docs;
    }

    static SortedPostings ofLongs(long[] keys, int[] docs, int size) {
        long[] k = Arrays.copyOf(keys, size);
        int[] d = Arrays.copyOf(docs, size);
        sort(k, null, d, 0, size - 1);
        return new SortedPostings(k, null, d);
    }

    static SortedPostings ofDoubles(double[] keys, int[] docs, int size) {
        double[] k = Arrays.copyOf(keys, size);
        int[] d = Arrays.copyOf(docs, size);
        sort(null, k, d, 0, size - 1);
        return new SortedPostings(null, k, d);
    }

    int size() { return docs.length; }

    boolean isDouble() { return doubleKeys != null; }

    long longKey(int i) { return longKeys[i]; }

    double doubleKey(int i) { return doubleKeys[i]; }

    /** A predicate over keys that is false up to some position and true from there on. */
    interface Monotone { boolean test(SortedPostings p, int i); }

    /** The first position whose key satisfies {@code p} (size() if none). */
    int firstWhere(Monotone p) {
        int lo = 0;
        int hi = docs.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (p.test(this, mid)) hi = mid; else lo = mid + 1;
        }
        return lo;
    }

    /** The documents at positions {@code [from, to)}, as a new bitmap. */
    RoaringBitmap documents(int from, int to) {
        if (from >= to) return new RoaringBitmap();
        int[] slice = Arrays.copyOfRange(docs, from, to);
        return RoaringBitmap.bitmapOfUnordered(slice);
    }

    /** Documents at [from, to) that are already in ascending order (one key's run). */
    RoaringBitmap sortedDocuments(int from, int to) {
        RoaringBitmap b = new RoaringBitmap();
        if (from < to) b.addN(docs, from, to - from);
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
