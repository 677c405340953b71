package dev.strata.expr;

import java.util.Locale;

/**
 * A compiled LIKE pattern: {@code %} matches any run of code points, {@code _} exactly one, every
 * other character itself; there is no escape character. ILIKE lower-cases both sides (Locale.ROOT).
 * Immutable and thread-safe.
 */
public final class LikePattern {
    private final int[] pattern;
    private final boolean caseInsensitive;

    public LikePattern(String pattern, boolean caseInsensitive) {
        this.caseInsensitive = caseInsensitive;
        this.pattern = (caseInsensitive ? pattern.toLowerCase(Locale.ROOT) : pattern).codePoints().toArray();
    }

    public boolean matches(String s) {
        int[] text = (caseInsensitive ? s.toLowerCase(Locale.ROOT) : s).codePoints().toArray();
        // Greedy match with backtracking to the last '%': linear for patterns without many '%'.
        int t = 0;
        int p = 0;
        int starP = -1;
        int starT = -1;
        while (t < text.length) {
            if (p < pattern.length && (pattern[p] == '_' || (pattern[p] != '%' && pattern[p] == text[t]))) {
                t++;
                p++;
            } else if (p < pattern.length && pattern[p] == '%') {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < pattern.length && pattern[p] == '%') p++;
        return p == pattern.length;
    }
}
