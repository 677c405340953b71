package dev.strata.node.exec;

import dev.strata.core.ast.Query;
import dev.strata.core.spi.SortKeys;
import java.util.Comparator;

/**
 * How matches are ranked: by sort keys (nulls last in either direction, values of different kinds
 * by kind: {@link SortKeys#compare}) or, without ORDER BY, by score (best first, no score last);
 * ties by position (segment, then document).
 *
 * <p>The sort keys of the matches kept (the top-k heap, or every match for a full sort) live in
 * typed columns, one slot per match, reused when the heap drops one: a batch's keys are compared
 * in place and copied only for the matches that are kept, so nothing is boxed per row.
 */
final class Ranking {
    private final boolean[] descending;
    private final SortKeys[] kept;
    private int[] free = new int[16];
    private int freeCount;
    private int slots;

    Ranking(Query q) {
        int k = q.orderBy().size();
        this.descending = new boolean[k];
        this.kept = new SortKeys[k];
        for (int i = 0; i < k; i++) {
            descending[i] = q.orderBy().get(i).descending();
            kept[i] = new SortKeys();
        }
    }

    int keyCount() { return kept.length; }

    /** Best first, then by position. */
    Comparator<Match> order() {
        Comparator<Match> c = kept.length == 0 ? (a, b) -> compareScores(a.score(), b.score()) : this::compareKeys;
        return c.thenComparing(positionOrder());
    }

    /** Row {@code i} of a batch (its keys in {@code keys}, at {@code segment}/{@code doc}) against a kept match: below zero when the row ranks first. */
    int compare(SortKeys[] keys, int i, double score, int segment, int doc, Match m) {
        int c;
        if (kept.length == 0) {
            c = compareScores(score, m.score());
        } else {
            c = 0;
            for (int k = 0; k < kept.length && c == 0; k++) c = SortKeys.compare(keys[k], i, kept[k], m.slot(), descending[k]);
        }
        if (c != 0) return c;
        c = Integer.compare(segment, m.segment());
        return c != 0 ? c : Integer.compare(doc, m.doc());
    }

    /** Keeps row {@code i}'s keys in a free slot and returns the match. */
    Match keep(SortKeys[] keys, int i, double score, int segment, int doc) {
        int slot = -1;
        if (kept.length > 0) {
            slot = freeCount > 0 ? free[--freeCount] : slots++;
            for (int k = 0; k < kept.length; k++) {
                kept[k].ensure(slot + 1);
                kept[k].copy(slot, keys[k], i);
            }
        }
        return new Match(segment, doc, score, slot);
    }

    /** Gives back the slot of a match the heap dropped. */
    void drop(Match m) {
        if (m.slot() < 0) return;
        if (freeCount == free.length) free = java.util.Arrays.copyOf(free, free.length * 2);
        free[freeCount++] = m.slot();
        for (SortKeys k : kept) k.setNull(m.slot()); // let a dropped string go
    }

    private int compareKeys(Match a, Match b) {
        for (int k = 0; k < kept.length; k++) {
            int r = SortKeys.compare(kept[k], a.slot(), kept[k], b.slot(), descending[k]);
            if (r != 0) return r;
        }
        return 0;
    }

    /** Best score first; a document without a score (NaN) last, as nulls sort last everywhere. */
    static int compareScores(double a, double b) {
        boolean aNone = Double.isNaN(a);
        boolean bNone = Double.isNaN(b);
        if (aNone || bNone) return aNone == bNone ? 0 : aNone ? 1 : -1;
        return Double.compare(b + 0.0, a + 0.0);
    }

    static Comparator<Match> positionOrder() {
        return Comparator.comparingInt(Match::segment).thenComparingInt(Match::doc);
    }
}
