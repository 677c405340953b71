package dev.strata.core.value;

/**
 * String order by Unicode code point, which is also UTF-8 byte order. Java's {@code compareTo}
 * compares UTF-16 units and puts U+1F600 (a surrogate pair, 0xD83D...) before U+FFFD.
 */
public final class CodePoints {
    private CodePoints() {}

    public static int compare(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                return fixup(x) - fixup(y);
            }
        }
        return a.length() - b.length();
    }

    // Surrogates (D800-DFFF) encode code points above FFFF, so they must sort after E000-FFFF.
    private static int fixup(char c) {
        if (c >= 0xD800) {
            return c >= 0xE000 ? c - 0x800 : c + 0x2000;
        }
        return c;
    }
}
