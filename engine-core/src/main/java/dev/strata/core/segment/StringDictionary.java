package dev.strata.core.segment;

import dev.strata.core.value.CodePoints;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The distinct strings of one column, sorted by code point, so that code order is string order:
 * a range comparison on strings becomes an integer comparison on codes, and an equality with a
 * constant becomes one lookup per segment. Kept as UTF-8 bytes, one after another, with an offset
 * per string ({@code size + 1} ints): on the heap for a segment built in memory, mapped from a
 * segment file otherwise. UTF-8 byte order is code point order, so lookups compare bytes.
 */
public final class StringDictionary {
    public static final StringDictionary EMPTY = new StringDictionary(MemorySegment.ofArray(new byte[0]), Words.of(new int[] {0}));

    private final MemorySegment bytes;
    private final MemorySegment offsets;
    private final int size;

    /** A dictionary over {@code bytes} with {@code offsets} ({@code size + 1} ints, the last one the byte length). */
    public StringDictionary(MemorySegment bytes, MemorySegment offsets) {
        this.bytes = bytes;
        this.offsets = offsets;
        this.size = (int) (offsets.byteSize() / Integer.BYTES) - 1;
    }

    /** A dictionary of {@code sortedDistinct}, which must be sorted by {@link CodePoints#compare} without duplicates. */
    static StringDictionary of(String[] sortedDistinct) {
        byte[][] encoded = new byte[sortedDistinct.length][];
        for (int i = 0; i < encoded.length; i++) encoded[i] = sortedDistinct[i].getBytes(StandardCharsets.UTF_8);
        return ofSorted(encoded);
    }

    /** A dictionary of UTF-8 strings already sorted unsigned-bytewise (code point order) without duplicates. */
    static StringDictionary ofSorted(byte[][] encoded) {
        if (encoded.length == 0) return EMPTY;
        int total = 0;
        for (byte[] e : encoded) total += e.length;
        byte[] all = new byte[total];
        int[] offs = new int[encoded.length + 1];
        int at = 0;
        for (int i = 0; i < encoded.length; i++) {
            System.arraycopy(encoded[i], 0, all, at, encoded[i].length);
            offs[i] = at;
            at += encoded[i].length;
        }
        offs[encoded.length] = at;
        return new StringDictionary(MemorySegment.ofArray(all), Words.of(offs));
    }

    public int size() { return size; }

    /** The UTF-8 bytes of every string, one after another. */
    public MemorySegment bytes() { return bytes; }

    /** Where each string starts in {@link #bytes()} ({@code size + 1} ints). */
    public MemorySegment offsets() { return offsets; }

    private int start(int code) { return offsets.getAtIndex(Words.INT, code); }

    /** The bytes of string {@code code}, without copying. */
    public MemorySegment utf8(int code) {
        int s = start(code);
        return bytes.asSlice(s, start(code + 1) - s);
    }

    /** String {@code code}, decoded (a new String each call). */
    public String get(int code) {
        int s = start(code);
        return new String(bytes.asSlice(s, start(code + 1) - s).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** The code of {@code s}, or {@code -(insertionPoint) - 1} when absent (as {@link Arrays#binarySearch}). */
    public int lookup(String s) {
        MemorySegment probe = MemorySegment.ofArray(s.getBytes(StandardCharsets.UTF_8));
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = compare(utf8(mid), probe);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }

    /** Unsigned byte order of two UTF-8 strings: code point order (also how segment files sort ids and section names). */
    public static int compare(MemorySegment a, MemorySegment b) {
        long m = a.mismatch(b);
        if (m < 0) return 0;
        if (m == a.byteSize()) return -1;
        if (m == b.byteSize()) return 1;
        return Integer.compare(a.get(ValueLayout.JAVA_BYTE, m) & 0xff, b.get(ValueLayout.JAVA_BYTE, m) & 0xff);
    }
}
