package dev.strata.core.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads the arrays a column keeps in {@link MemorySegment}s: on the heap (a segment built in
 * memory wraps its arrays) or mapped from a segment file. Bitsets are 64-bit words, bit {@code i}
 * in word {@code i >>> 6}, as in {@link Bits}. Values are in the platform's byte order; a segment
 * file records the order it was written in and is refused on a machine of the other order.
 */
public final class Words {
    public static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    public static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE_UNALIGNED;
    public static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private Words() {}

    public static MemorySegment of(long[] a) { return MemorySegment.ofArray(a); }

    public static MemorySegment of(double[] a) { return MemorySegment.ofArray(a); }

    public static MemorySegment of(int[] a) { return MemorySegment.ofArray(a); }

    public static MemorySegment of(byte[] a) { return MemorySegment.ofArray(a); }

    /** Whether bit {@code i} is set; a bit beyond the segment is clear. */
    public static boolean bit(MemorySegment words, int i) {
        long w = i >>> 6;
        return w < words.byteSize() >>> 3 && (words.getAtIndex(LONG, w) & (1L << i)) != 0;
    }

    /** How many bits are set. */
    public static int cardinality(MemorySegment words) {
        long n = words.byteSize() >>> 3;
        int c = 0;
        for (long w = 0; w < n; w++) c += Long.bitCount(words.getAtIndex(LONG, w));
        return c;
    }

    /** Copies bits [from, from + n) of {@code src} to bits [0, n) of {@code dst}; bits past the end of {@code src} are clear. */
    public static void copyBits(MemorySegment src, int from, long[] dst, int n) {
        int words = Bits.words(n);
        long available = src.byteSize() >>> 3;
        int shift = from & 63;
        int w0 = from >>> 6;
        for (int w = 0; w < words; w++) {
            long lo = w0 + w < available ? src.getAtIndex(LONG, w0 + w) >>> shift : 0;
            long hi = shift == 0 || w0 + w + 1 >= available ? 0 : src.getAtIndex(LONG, w0 + w + 1) << (64 - shift);
            dst[w] = lo | hi;
        }
    }

    /** Copies {@code n} longs from index {@code from} of {@code src} into {@code dst[0..n)}. */
    public static void copyLongs(MemorySegment src, int from, long[] dst, int n) {
        MemorySegment.copy(src, LONG, (long) from << 3, dst, 0, n);
    }

    /** Copies {@code n} doubles from index {@code from} of {@code src} into {@code dst[0..n)}. */
    public static void copyDoubles(MemorySegment src, int from, double[] dst, int n) {
        MemorySegment.copy(src, DOUBLE, (long) from << 3, dst, 0, n);
    }

    /** The ints of {@code src} as a new array (for building indexes and in tests). */
    public static int[] ints(MemorySegment src) { return src.toArray(INT); }
}
