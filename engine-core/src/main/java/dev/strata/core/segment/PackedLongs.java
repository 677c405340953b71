package dev.strata.core.segment;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A column's long payloads, stored as offsets from their minimum in the fewest bytes that hold
 * the largest ({@code 0, 1, 2, 4} or {@code 8} bytes each): a dictionary code of a column with 20
 * distinct strings takes one byte, not eight, and a column of equal values takes none. Readers
 * decode a range at a time into a {@code long[]} ({@link #read}), so the kernels' loops stay on
 * primitive arrays whatever the width.
 */
public final class PackedLongs {
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final MemorySegment bytes;
    private final long base;
    private final int width;

    /** Payloads stored as {@code width}-byte unsigned offsets from {@code base} in {@code bytes}. */
    public PackedLongs(MemorySegment bytes, long base, int width) {
        if (width != 0 && width != 1 && width != 2 && width != 4 && width != 8) throw new IllegalArgumentException("width " + width);
        this.bytes = bytes;
        this.base = base;
        this.width = width;
    }

    /** Packs {@code values} in the narrowest width that holds them. */
    public static PackedLongs of(long[] values) {
        if (values.length == 0) return new PackedLongs(MemorySegment.ofArray(new byte[0]), 0, 0);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long v : values) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        long span = max - min; // negative when the span overflows: keep eight bytes
        if (span == 0) return new PackedLongs(MemorySegment.ofArray(new byte[0]), min, 0);
        int width = span < 0 || span > 0xFFFF_FFFFL ? 8 : span > 0xFFFF ? 4 : span > 0xFF ? 2 : 1;
        long b = width == 8 ? 0 : min;
        // always over a byte[]: a buffer view (the WASM host reads through one) needs a byte-array heap segment
        MemorySegment out = MemorySegment.ofArray(new byte[values.length * width]);
        for (int i = 0; i < values.length; i++) {
            long v = values[i] - b;
            switch (width) {
                case 1 -> out.set(ValueLayout.JAVA_BYTE, i, (byte) v);
                case 2 -> out.setAtIndex(SHORT, i, (short) v);
                case 4 -> out.setAtIndex(Words.INT, i, (int) v);
                default -> out.setAtIndex(Words.LONG, i, v);
            }
        }
        return new PackedLongs(out, b, width);
    }

    /** The stored bytes (for writing them to a file). */
    public MemorySegment bytes() { return bytes; }

    public long base() { return base; }

    /** Bytes per value: 0, 1, 2, 4 or 8. */
    public int width() { return width; }

    /** Value {@code i}. */
    public long get(int i) {
        return switch (width) {
            case 0 -> base;
            case 1 -> base + (bytes.get(ValueLayout.JAVA_BYTE, i) & 0xFFL);
            case 2 -> base + (bytes.getAtIndex(SHORT, i) & 0xFFFFL);
            case 4 -> base + (bytes.getAtIndex(Words.INT, i) & 0xFFFF_FFFFL);
            default -> bytes.getAtIndex(Words.LONG, i);
        };
    }

    /** Decodes values {@code from .. from+n} into {@code dst[0..n)}. */
    public void read(int from, long[] dst, int n) {
        switch (width) {
            case 0 -> java.util.Arrays.fill(dst, 0, n, base);
            case 1 -> {
                long b = base;
                MemorySegment s = bytes;
                for (int i = 0; i < n; i++) dst[i] = b + (s.get(ValueLayout.JAVA_BYTE, (long) from + i) & 0xFFL);
            }
            case 2 -> {
                long b = base;
                MemorySegment s = bytes;
                for (int i = 0; i < n; i++) dst[i] = b + (s.getAtIndex(SHORT, (long) from + i) & 0xFFFFL);
            }
            case 4 -> {
                long b = base;
                MemorySegment s = bytes;
                for (int i = 0; i < n; i++) dst[i] = b + (s.getAtIndex(Words.INT, (long) from + i) & 0xFFFF_FFFFL);
            }
            default -> Words.copyLongs(bytes, from, dst, n);
        }
    }
}
