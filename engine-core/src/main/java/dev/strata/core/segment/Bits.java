package dev.strata.core.segment;

/** Helpers for bitsets kept as {@code long[]} words (bit i lives in word i >>> 6). */
public final class Bits {
    private Bits() {}

    public static long[] create(int bits) { return new long[words(bits)]; }

    public static int words(int bits) { return (bits + 63) >>> 6; }

    public static boolean get(long[] words, int i) { return (words[i >>> 6] & (1L << i)) != 0; }

    public static void set(long[] words, int i) { words[i >>> 6] |= 1L << i; }

    public static int cardinality(long[] words) {
        int n = 0;
        for (long w : words) n += Long.bitCount(w);
        return n;
    }

    /** A copy of {@code words} grown to hold at least {@code bits} bits. */
    public static long[] grow(long[] words, int bits) {
        int need = words(bits);
        return need <= words.length ? words : java.util.Arrays.copyOf(words, Math.max(need, words.length * 2));
    }
}
