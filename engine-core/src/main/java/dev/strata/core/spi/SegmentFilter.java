package dev.strata.core.spi;

/** A clause bound to one segment. Not thread-safe: one thread at a time. */
public interface SegmentFilter {
    /**
     * Keeps, in order, the documents of {@code docs[0..count)} for which the clause is TRUE
     * (FALSE and UNKNOWN are dropped), compacting them to the front of {@code docs}.
     *
     * @param docs document numbers in ascending order; overwritten with the survivors
     * @param count how many entries of {@code docs} are candidates (at most {@link #MAX_BATCH})
     * @return how many documents survived
     */
    int filter(int[] docs, int count);

    /** The largest batch a caller may pass. */
    int MAX_BATCH = 4096;
}
