package dev.strata.examples;

import java.nio.charset.StandardCharsets;

/**
 * The five shop UDFs of {@code examples/} in plain Java: the specification each language's
 * module is tested against, and the reference its benchmark row is compared with. Every
 * function matches the guests bit for bit, including the order of floating-point operations.
 */
public final class ShopFunctions {
    /** Spam words, lowercase ASCII; matched ignoring ASCII case. */
    public static final String[] SPAM_WORDS = {"free", "winner", "prize", "click here", "urgent", "$$$"};
    private static final byte[][] SPAM_BYTES = new byte[SPAM_WORDS.length][];

    static {
        for (int i = 0; i < SPAM_WORDS.length; i++) SPAM_BYTES[i] = SPAM_WORDS[i].getBytes(StandardCharsets.US_ASCII);
    }

    private ShopFunctions() {}

    /** Levenshtein distance between {@code a} and {@code b}, counted in code points. */
    public static int stringDistance(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        int[] row = new int[y.length + 1];
        for (int j = 0; j <= y.length; j++) row[j] = j;
        for (int i = 1; i <= x.length; i++) {
            int diagonal = row[0];
            row[0] = i;
            for (int j = 1; j <= y.length; j++) {
                int above = row[j];
                row[j] = Math.min(diagonal + (x[i - 1] == y[j - 1] ? 0 : 1), Math.min(above + 1, row[j - 1] + 1));
                diagonal = above;
            }
        }
        return row[y.length];
    }

    /** How many spam words occur in {@code text} (0 when it is not a string). */
    public static int spamWords(Object text) {
        if (!(text instanceof String s)) return 0;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int hits = 0;
        for (byte[] word : SPAM_BYTES) if (containsIgnoringAsciiCase(b, word)) hits++;
        return hits;
    }

    private static boolean containsIgnoringAsciiCase(byte[] text, byte[] word) {
        for (int start = 0; start + word.length <= text.length; start++) {
            int k = 0;
            while (k < word.length) {
                byte c = text[start + k];
                if (c >= 'A' && c <= 'Z') c += 32;
                if (c != word[k]) break;
                k++;
            }
            if (k == word.length) return true;
        }
        return false;
    }

    /**
     * Spam points: 2 per spam word in the title, 1 per spam word in the body, 2 for 5 or more
     * links; spam at {@code threshold} points or more. {@code title} and {@code body} are the
     * fields' first values (anything but a string counts as no words); {@code links} is null
     * unless the field is an int.
     */
    public static boolean isSpam(Object title, Object body, Long links, int threshold) {
        int points = 2 * spamWords(title) + spamWords(body);
        if (links != null && links >= 5) points += 2;
        return points >= threshold;
    }

    /**
     * The mean rating shrunk towards {@code priorMean} as if {@code priorWeight} reviews had given
     * it. {@code rating} is null unless the field is a number, {@code reviews} unless an int.
     */
    public static double bayesRating(Double rating, Long reviews, double priorMean, double priorWeight) {
        double r = rating != null ? rating : priorMean;
        long count = reviews != null ? Math.max(0, reviews) : 0;
        double weight = (double) count + priorWeight;
        if (weight <= 0) return priorMean;
        return (r * (double) count + priorMean * priorWeight) / weight;
    }

    /** {@code price * quantity}, less 5% from 10 items and 15% from 100. */
    public static double tieredTotal(double price, long quantity) {
        double factor = quantity >= 100 ? 0.85 : quantity >= 10 ? 0.95 : 1.0;
        return price * (double) quantity * factor;
    }

    /** ASCII letters and digits lowercased; every other run of bytes one '-', none at either end. */
    public static String slug(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean dash = false;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z') c += 32;
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
                if (dash && !out.isEmpty()) out.append('-');
                dash = false;
                out.append(c);
            } else {
                dash = true;
            }
        }
        return out.toString();
    }
}
