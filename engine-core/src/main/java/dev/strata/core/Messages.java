package dev.strata.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Keeps what Strata says bounded: an error built from user data (a Python exception text, a list
 * of 10,000 function names) must not become a 50 MB reply.
 */
public final class Messages {
    /** The longest message an error carries, in characters. */
    public static final int MAX_MESSAGE = 4000;
    /** How many items a listing in a message names before "and N more". */
    public static final int MAX_ITEMS = 20;

    private Messages() {}

    /** {@code text} cut to {@code max} characters, with a marker saying how long it was. */
    public static String cap(String text, int max) {
        if (text == null || text.length() <= max) return text;
        int end = max;
        if (Character.isHighSurrogate(text.charAt(end - 1))) end--; // never split a surrogate pair
        return text.substring(0, end) + "… (truncated; " + text.length() + " characters in all)";
    }

    /** {@code text} cut to {@link #MAX_MESSAGE} characters. */
    public static String cap(String text) { return cap(text, MAX_MESSAGE); }

    /** The first {@link #MAX_ITEMS} items joined by {@code separator}, then "and N more". */
    public static String list(Collection<String> items, String separator) {
        List<String> shown = new ArrayList<>();
        for (String i : items) {
            if (shown.size() == MAX_ITEMS) break;
            shown.add(i);
        }
        String joined = String.join(separator, shown);
        return items.size() > MAX_ITEMS ? joined + separator + "and " + (items.size() - MAX_ITEMS) + " more" : joined;
    }
}
