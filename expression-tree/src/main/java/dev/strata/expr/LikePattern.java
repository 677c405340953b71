package dev.strata.expr;

import dev.strata.core.segment.StringDictionary;
import dev.strata.core.spi.ExecutionContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled LIKE pattern: {@code %} matches any run of code points, {@code _} exactly one, every
 * other character itself; there is no escape character. ILIKE compares both
 * sides after simple case folding ({@link #fold}).
 * Immutable and thread-safe.
 *
 * <p>Matching never backtracks. The pattern is cut at each {@code %} into segments: the first must
 * match at the start, the last at the end, and each one between is found at its leftmost place
 * after the one before (taking the leftmost is always right, since a {@code %} can absorb anything
 * in between). A segment without {@code _} is found with Knuth–Morris–Pratt, one with {@code _}
 * with a bit-parallel shift-and over its positions, so a match costs time linear in the text
 * (times the segment's length in 64-bit words for a segment with {@code _}). Long matches check the
 * query's deadline as they go.
 */
public final class LikePattern {
    /** How many text positions between two looks at the deadline. */
    private static final int CHECK_EVERY = 1 << 16;

    private final boolean caseInsensitive;
    private final boolean anyStart;
    private final boolean anyEnd;
    private final List<Segment> segments;
    private final int fixedLength;
    private final boolean wild;
    private final Utf8Like utf8;

    public LikePattern(String pattern, boolean caseInsensitive) {
        this(caseInsensitive, pattern.codePoints().map(c -> caseInsensitive ? fold(c) : c).toArray(), true);
    }

    /** Contains ({@code anyStart && anyEnd}), starts or ends with {@code literal}: {@code %} and {@code _} in it are plain characters. */
    public static LikePattern literal(String literal, boolean anyStart, boolean anyEnd) {
        int[] cps = literal.codePoints().toArray();
        return new LikePattern(false, cps, anyStart, anyEnd);
    }

    private LikePattern(boolean caseInsensitive, int[] p, boolean parse) {
        this(caseInsensitive, p, p.length > 0 && p[0] == '%', p.length > 0 && p[p.length - 1] == '%', parse);
    }

    private LikePattern(boolean caseInsensitive, int[] literal, boolean anyStart, boolean anyEnd) {
        this.caseInsensitive = caseInsensitive;
        this.anyStart = anyStart;
        this.anyEnd = anyEnd;
        this.segments = literal.length == 0 ? List.of() : List.of(new Segment(literal, false));
        this.fixedLength = literal.length;
        this.wild = false;
        this.utf8 = new Utf8Like(this, literal.length == 0 ? List.of() : List.of(literal), false, anyStart, anyEnd, anyStart || anyEnd);
    }

    private LikePattern(boolean caseInsensitive, int[] p, boolean anyStart, boolean anyEnd, boolean parse) {
        this.caseInsensitive = caseInsensitive;
        this.anyStart = anyStart;
        this.anyEnd = anyEnd;
        List<Segment> segs = new ArrayList<>();
        List<int[]> parts = new ArrayList<>();
        int start = 0;
        int fixed = 0;
        boolean percent = false;
        boolean anyWild = false;
        for (int i = 0; i <= p.length; i++) {
            if (i == p.length || p[i] == '%') {
                percent |= i < p.length;
                if (i > start) {
                    int[] s = java.util.Arrays.copyOfRange(p, start, i);
                    Segment seg = new Segment(s, true);
                    segs.add(seg);
                    parts.add(s);
                    anyWild |= seg.wild;
                    fixed += s.length;
                }
                start = i + 1;
            }
        }
        this.segments = List.copyOf(segs);
        this.fixedLength = fixed;
        this.wild = anyWild;
        this.utf8 = anyWild ? null : new Utf8Like(this, parts, caseInsensitive, anyStart, anyEnd, percent);
    }

    /**
     * Simple case folding of one code point, as ILIKE compares: the lower case of the upper case,
     * which puts every member of a case class (k, K, the Kelvin sign; σ, ς, Σ) on one code point,
     * except the Turkish dotted and dotless i, which Unicode folding leaves alone.
     */
    static int fold(int cp) {
        if (cp < 128) return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        if (cp == 0x130 || cp == 0x131) return cp;
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    /**
     * Which strings of {@code dictionary} match, by code: evaluated once per distinct value over the
     * dictionary's UTF-8 bytes (no String per value) unless the pattern has a {@code _}.
     */
    public boolean[] matchDictionary(StringDictionary dictionary, ExecutionContext run) {
        if (utf8 != null) return utf8.matchAll(dictionary, run);
        boolean[] out = new boolean[dictionary.size()];
        for (int c = 0; c < out.length; c++) out[c] = matches(dictionary.get(c), run);
        return out;
    }

    /** Whether {@code s} matches, with no deadline: for constant folding, tests and tools. */
    public boolean matches(String s) { return matches(s, ExecutionContext.unbounded()); }

    /** Whether {@code s} matches; a long match fails with DEADLINE_EXCEEDED once {@code run} is past its deadline. */
    public boolean matches(String s, ExecutionContext run) {
        int[] text = caseInsensitive ? s.codePoints().map(LikePattern::fold).toArray() : s.codePoints().toArray();
        if (text.length < fixedLength) return false;
        boolean hasPercent = anyStart || anyEnd || segments.size() > 1;
        if (!hasPercent) return segments.isEmpty() ? text.length == 0 : text.length == fixedLength && segments.get(0).matchesAt(text, 0);
        int from = 0;
        int to = text.length;
        int first = 0;
        int last = segments.size();
        if (!anyStart) {
            Segment head = segments.get(first++);
            if (!head.matchesAt(text, 0)) return false;
            from = head.length();
        }
        if (!anyEnd && last > first) {
            Segment tail = segments.get(--last);
            to = text.length - tail.length();
            if (to < from || !tail.matchesAt(text, to)) return false;
        }
        for (int i = first; i < last; i++) {
            Segment seg = segments.get(i);
            int at = seg.find(text, from, to, run);
            if (at < 0) return false;
            from = at + seg.length();
        }
        return true;
    }

    /** A run of the pattern between two {@code %}: code points, {@code _} standing for any one. */
    private static final class Segment {
        private final int[] cps;
        private final boolean wild;
        private final int[] failure;          // KMP, for a segment without '_'
        private final Map<Integer, long[]> masks; // shift-and, for a segment with '_'
        private final long[] anyMask;

        Segment(int[] cps, boolean underscoreIsWild) {
            this.cps = cps;
            boolean w = false;
            if (underscoreIsWild) for (int c : cps) w |= c == '_';
            this.wild = w;
            if (!w) {
                failure = new int[cps.length];
                for (int i = 1, k = 0; i < cps.length; i++) {
                    while (k > 0 && cps[i] != cps[k]) k = failure[k - 1];
                    if (cps[i] == cps[k]) k++;
                    failure[i] = k;
                }
                masks = null;
                anyMask = null;
            } else {
                failure = null;
                int words = (cps.length + 63) >>> 6;
                anyMask = new long[words];
                for (int i = 0; i < cps.length; i++) if (cps[i] == '_') anyMask[i >>> 6] |= 1L << i;
                masks = new HashMap<>();
                for (int i = 0; i < cps.length; i++) {
                    if (cps[i] == '_') continue;
                    long[] m = masks.computeIfAbsent(cps[i], c -> anyMask.clone());
                    m[i >>> 6] |= 1L << i;
                }
            }
        }

        int length() { return cps.length; }

        boolean matchesAt(int[] text, int at) {
            if (at < 0 || at + cps.length > text.length) return false;
            for (int i = 0; i < cps.length; i++) if ((!wild || cps[i] != '_') && cps[i] != text[at + i]) return false;
            return true;
        }

        /** The leftmost start of this segment within {@code text[from, to)}, or -1. */
        int find(int[] text, int from, int to, ExecutionContext run) {
            int m = cps.length;
            if (to - from < m) return -1;
            return wild ? shiftAnd(text, from, to, run) : kmp(text, from, to, run);
        }

        private int kmp(int[] text, int from, int to, ExecutionContext run) {
            int k = 0;
            for (int i = from; i < to; i++) {
                if (((i - from) & (CHECK_EVERY - 1)) == 0) checkDeadline(run);
                while (k > 0 && text[i] != cps[k]) k = failure[k - 1];
                if (text[i] == cps[k]) k++;
                if (k == cps.length) return i - k + 1;
            }
            return -1;
        }

        private int shiftAnd(int[] text, int from, int to, ExecutionContext run) {
            int m = cps.length;
            int words = anyMask.length;
            long[] state = new long[words];
            int lastWord = (m - 1) >>> 6;
            long lastBit = 1L << ((m - 1) & 63);
            for (int i = from; i < to; i++) {
                if (((i - from) & (CHECK_EVERY - 1)) == 0) checkDeadline(run);
                long[] mask = masks.getOrDefault(text[i], anyMask);
                long carry = 1; // a match may begin at every position
                for (int w = 0; w < words; w++) {
                    long next = (state[w] << 1) | carry;
                    carry = state[w] >>> 63;
                    state[w] = next & mask[w];
                }
                if ((state[lastWord] & lastBit) != 0) return i - m + 1;
            }
            return -1;
        }

        private static void checkDeadline(ExecutionContext run) {
            if (run.hasDeadline() && run.remainingNanos() < 0) run.deadlineExceeded("while matching a LIKE pattern");
        }
    }
}
