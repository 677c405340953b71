package dev.strata.core.segment;

import dev.strata.core.value.CodePoints;
import java.util.Arrays;

/**
 * The distinct strings of one column, sorted by code point, so that code order is string order:
 * a range comparison on strings becomes an integer comparison on codes, and an equality with a
 * constant becomes one lookup per segment.
 */
public final class StringDictionary {
    private final String[] values;

    /** {@code sortedDistinct} must be sorted by {@link CodePoints#compare} without duplicates. */
    StringDictionary(String[] sortedDistinct) { this.values = sortedDistinct; }

    public int size() { return values.length; }

    public String get(int code) { return values[code]; }

    /** The code of {@code s}, or {@code -(insertionPoint) - 1} when absent (as {@link Arrays#binarySearch}). */
    public int lookup(String s) {
        int lo = 0;
        int hi = values.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = CodePoints.compare(values[mid], s);
            if (c < 0) lo = mid + 1;
            else if (c > 0) hi = mid - 1;
            else return mid;
        }
        return -(lo + 1);
    }
}
