package dev.strata.expr;

import dev.strata.core.segment.StringDictionary;
import dev.strata.core.spi.ExecutionContext;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A LIKE pattern without {@code _} evaluated over a dictionary's UTF-8 bytes, once per distinct
 * value and without a String per value. UTF-8 is self-synchronising, so a literal run of the pattern
 * matches the bytes of a text exactly where it matches its code points, and leftmost stays leftmost.
 *
 * <p>The dictionary is read in chunks of consecutive values (one bulk copy of their bytes and
 * offsets each). When the pattern begins with {@code %}, its first run is searched across the whole
 * chunk at once and only the values holding it are checked further; otherwise each value is checked
 * in place. ILIKE folds ASCII letters in the chunk as it goes; a value holding any other byte is
 * decoded and matched by {@link LikePattern#matches} (Unicode folding), which is exact and rare.
 */
final class Utf8Like {
    private static final int CHUNK = 1 << 16;
    /** Needles longer than this are searched with KMP, so a search stays linear in the text. */
    private static final int SHORT_NEEDLE = 32;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final LikePattern pattern;
    private final boolean fold;
    private final boolean anyStart;
    private final boolean anyEnd;
    private final boolean percent;
    private final byte[][] parts;
    private final int[][] failures;
    private final int fixed;

    Utf8Like(LikePattern pattern, List<int[]> codePointParts, boolean fold, boolean anyStart, boolean anyEnd, boolean percent) {
        this.pattern = pattern;
        this.fold = fold;
        this.anyStart = anyStart;
        this.anyEnd = anyEnd;
        this.percent = percent;
        this.parts = new byte[codePointParts.size()][];
        this.failures = new int[parts.length][];
        int total = 0;
        for (int i = 0; i < parts.length; i++) {
            int[] cps = codePointParts.get(i);
            parts[i] = new String(cps, 0, cps.length).getBytes(StandardCharsets.UTF_8);
            failures[i] = failure(parts[i]);
            total += parts[i].length;
        }
        this.fixed = total;
    }

    boolean[] matchAll(StringDictionary d, ExecutionContext run) {
        int size = d.size();
        boolean[] out = new boolean[size];
        MemorySegment bytes = d.bytes();
        MemorySegment offsets = d.offsets();
        byte[] buf = new byte[CHUNK];
        int[] starts = new int[0];
        boolean[] decode = fold ? new boolean[0] : null;
        for (int c = 0; c < size; ) {
            int base = offsets.getAtIndex(ValueLayout.JAVA_INT, c);
            int e = chunkEnd(offsets, c, size, base);
            int n = e - c;
            if (starts.length < n + 1) starts = new int[Math.max(n + 1, starts.length * 2)];
            MemorySegment.copy(offsets, ValueLayout.JAVA_INT, (long) c * Integer.BYTES, starts, 0, n + 1);
            for (int i = 0; i <= n; i++) starts[i] -= base;
            int len = starts[n];
            if (buf.length < len) buf = new byte[len];
            MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, base, buf, 0, len);
            if (fold) {
                if (decode.length < n) decode = new boolean[Math.max(n, decode.length * 2)];
                if (foldAscii(buf, len)) { // some value holds a byte outside ASCII: those are matched on decoded code points
                    markNonAscii(buf, starts, n, decode);
                    for (int v = 0; v < n; v++) {
                        if (decode[v]) out[c + v] = pattern.matches(new String(buf, starts[v], starts[v + 1] - starts[v], StandardCharsets.UTF_8), run);
                    }
                } else {
                    Arrays.fill(decode, 0, n, false);
                }
            }
            if (anyStart && parts.length > 0) searchChunk(buf, starts, n, len, out, c, decode, run);
            else {
                for (int v = 0; v < n; v++) if (decode == null || !decode[v]) out[c + v] = matchesAt(buf, starts[v], starts[v + 1], run);
            }
            checkDeadline(run);
            c = e;
        }
        return out;
    }

    /** The end of the chunk starting at {@code c}: the most values whose bytes fit {@link #CHUNK}, at least one. */
    private static int chunkEnd(MemorySegment offsets, int c, int size, int base) {
        int lo = c + 1;
        int hi = size;
        while (lo < hi) { // the largest e in [c+1, size] with offsets[e] - base <= CHUNK
            int mid = (lo + hi + 1) >>> 1;
            if (offsets.getAtIndex(ValueLayout.JAVA_INT, mid) - base <= CHUNK) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /**
     * Lower-cases the ASCII letters of {@code buf[0, len)} in place, eight bytes at a time (bytes
     * of multi-byte UTF-8 sequences are never in A-Z, so they stay as they are); returns whether
     * any byte is outside ASCII.
     */
    static boolean foldAscii(byte[] buf, int len) {
        long high = 0;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            long w = (long) LONGS.get(buf, i);
            high |= w;
            long h = w & ~HIGHS; // each byte below 0x80: adding below cannot carry into the next byte
            long upper = ((h + (0x80 - 'A') * ONES) ^ (h + (0x80 - 'Z' - 1) * ONES)) & ~w & HIGHS;
            LONGS.set(buf, i, w | (upper >>> 2)); // 0x80 of an upper-case byte becomes its 0x20
        }
        for (; i < len; i++) {
            byte b = buf[i];
            high |= b;
            if (b >= 'A' && b <= 'Z') buf[i] = (byte) (b + 32);
        }
        return (high & HIGHS) != 0;
    }

    private static void markNonAscii(byte[] buf, int[] starts, int n, boolean[] decode) {
        for (int v = 0; v < n; v++) {
            int high = 0;
            for (int i = starts[v], end = starts[v + 1]; i < end; i++) high |= buf[i];
            decode[v] = high < 0;
        }
    }

    /** Finds the first run across the chunk; a value holding it is checked in full (or is a match for {@code %run%}). */
    private void searchChunk(byte[] buf, int[] starts, int n, int len, boolean[] out, int c, boolean[] decode, ExecutionContext run) {
        byte[] first = parts[0];
        boolean containsOnly = parts.length == 1 && anyEnd;
        int v = 0;
        int pos = 0;
        while (pos < len) {
            int at = indexOf(buf, pos, len, 0, run);
            if (at < 0) return;
            while (starts[v + 1] <= at) v++;
            int end = starts[v + 1];
            if (at + first.length > end) {
                pos = at + 1;
                continue;
            }
            if (decode == null || !decode[v]) out[c + v] = containsOnly || matchesAt(buf, starts[v], end, run);
            pos = end;
            v++;
            if (v >= n) return;
        }
    }

    /** Whether the value in {@code buf[s, e)} matches (ASCII-folded already for ILIKE). */
    private boolean matchesAt(byte[] buf, int s, int e, ExecutionContext run) {
        if (!percent) return e - s == fixed && (parts.length == 0 || Arrays.equals(buf, s, e, parts[0], 0, fixed));
        if (e - s < fixed) return false;
        int from = s;
        int to = e;
        int first = 0;
        int last = parts.length;
        if (!anyStart && last > first) {
            byte[] head = parts[first++];
            if (!Arrays.equals(buf, s, s + head.length, head, 0, head.length)) return false;
            from = s + head.length;
        }
        if (!anyEnd && last > first) {
            byte[] tail = parts[--last];
            to = e - tail.length;
            if (to < from || !Arrays.equals(buf, to, e, tail, 0, tail.length)) return false;
        }
        for (int i = first; i < last; i++) {
            int at = indexOf(buf, from, to, i, run);
            if (at < 0) return false;
            from = at + parts[i].length;
        }
        return true;
    }

    /**
     * The leftmost start of part {@code p} within {@code buf[from, to)}, or -1. Eight starts at a
     * time: a start is a candidate when both the needle's first byte and its last byte are in
     * place (a zero byte in the XOR of two words with the broadcast bytes), and only candidates
     * are compared in full.
     */
    private int indexOf(byte[] buf, int from, int to, int p, ExecutionContext run) {
        byte[] needle = parts[p];
        int m = needle.length;
        if (m > SHORT_NEEDLE) return kmp(buf, from, to, p, run);
        int last = to - m; // the last start that fits
        long firsts = (needle[0] & 0xFFL) * ONES;
        long lasts = (needle[m - 1] & 0xFFL) * ONES;
        int i = from;
        for (; i + 7 <= last; i += 8) {
            long x = ((long) LONGS.get(buf, i) ^ firsts) | ((long) LONGS.get(buf, i + m - 1) ^ lasts);
            long hits = (x - ONES) & ~x & HIGHS; // every zero byte is flagged (a few others may be too)
            while (hits != 0) {
                int at = i + (Long.numberOfTrailingZeros(hits) >>> 3);
                if (sameBytes(buf, at, needle)) return at;
                hits &= hits - 1;
            }
        }
        for (; i <= last; i++) if (buf[i] == needle[0] && sameBytes(buf, i, needle)) return i;
        return -1;
    }

    private static boolean sameBytes(byte[] buf, int at, byte[] needle) {
        for (int k = 0; k < needle.length; k++) if (buf[at + k] != needle[k]) return false;
        return true;
    }

    private int kmp(byte[] buf, int from, int to, int p, ExecutionContext run) {
        byte[] needle = parts[p];
        int[] fail = failures[p];
        int k = 0;
        for (int i = from; i < to; i++) {
            if (((i - from) & (CHUNK - 1)) == 0) checkDeadline(run);
            while (k > 0 && buf[i] != needle[k]) k = fail[k - 1];
            if (buf[i] == needle[k]) k++;
            if (k == needle.length) return i - k + 1;
        }
        return -1;
    }

    private static int[] failure(byte[] needle) {
        int[] f = new int[needle.length];
        for (int i = 1, k = 0; i < needle.length; i++) {
            while (k > 0 && needle[i] != needle[k]) k = f[k - 1];
            if (needle[i] == needle[k]) k++;
            f[i] = k;
        }
        return f;
    }

    private static void checkDeadline(ExecutionContext run) {
        if (run.hasDeadline() && run.remainingNanos() < 0) run.deadlineExceeded("while matching a LIKE pattern");
    }
}
