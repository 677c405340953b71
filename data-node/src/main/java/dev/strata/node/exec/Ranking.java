package dev.strata.node.exec;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.CodePoints;
import dev.strata.core.value.Value;
import java.util.Comparator;
import java.util.List;

/**
 * How matches are ranked: by sort keys (nulls last in either direction, values of different kinds
 * by kind: {@link SortKeys#compare}) or, without ORDER BY, by score (best first, no score last;
 * every score is 1.0 without SET _score); ties by {@code _id} (by code point). The order is total
 * and does not depend on where a document sits, so it holds across refreshes and merges: that is
 * what a cursor ({@link ResumeAfter}) continues from.
 *
 * <p>The sort keys of the matches kept (the top-k heap, or every match for a full sort) live in
 * typed columns, one slot per match, reused when the heap drops one: a batch's keys are compared
 * in place and copied only for the matches that are kept, so nothing is boxed per row. A row's
 * id is read only when its keys tie.
 */
final class Ranking {
    private final boolean[] descending;
    private final SortKeys[] kept;
    private final SortKeys[] after;
    private final double afterScore;
    private final String afterId;
    private int[] free = new int[16];
    private int freeCount;
    private int slots;

    Ranking(Query q, ResumeAfter from) {
        int k = q.orderBy().size();
        this.descending = new boolean[k];
        this.kept = new SortKeys[k];
        for (int i = 0; i < k; i++) {
            descending[i] = q.orderBy().get(i).descending();
            kept[i] = new SortKeys();
        }
        if (from == null) {
            after = null;
            afterScore = 0;
            afterId = null;
        } else {
            if (from.keys().size() != k) {
                throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.INVALID_REQUEST, "the cursor holds "
                        + from.keys().size() + " sort key(s) but its query sorts by " + k + "; pass the \"next\" value of a reply as it is");
            }
            after = new SortKeys[k];
            for (int i = 0; i < k; i++) {
                after[i] = new SortKeys();
                after[i].ensure(1);
                set(after[i], from.keys().get(i));
            }
            afterScore = from.score();
            afterId = from.id();
        }
    }

    int keyCount() { return kept.length; }

    /** Best first, then by id. */
    Comparator<Match> order() {
        return (a, b) -> {
            int c = kept.length == 0 ? compareScores(a.score(), b.score()) : compareKeys(a, b);
            return c != 0 ? c : CodePoints.compare(a.id(), b.id());
        };
    }

    /** Row {@code i} of a batch (keys in {@code keys}, document {@code doc} of {@code s}) against a kept match: below zero when the row ranks first. */
    int compare(SortKeys[] keys, int i, double score, Segment s, int doc, Match m) {
        int c;
        if (kept.length == 0) {
            c = compareScores(score, m.score());
        } else {
            c = 0;
            for (int k = 0; k < kept.length && c == 0; k++) c = SortKeys.compare(keys[k], i, kept[k], m.slot(), descending[k]);
        }
        return c != 0 ? c : CodePoints.compare(s.id(doc), m.id());
    }

    /** True when there is no cursor, or row {@code i} ranks after the cursor's position. */
    boolean afterCursor(SortKeys[] keys, int i, double score, Segment s, int doc) {
        if (afterId == null) return true;
        int c;
        if (kept.length == 0) {
            c = compareScores(score, afterScore);
        } else {
            c = 0;
            for (int k = 0; k < kept.length && c == 0; k++) c = SortKeys.compare(keys[k], i, after[k], 0, descending[k]);
        }
        return c != 0 ? c > 0 : CodePoints.compare(s.id(doc), afterId) > 0;
    }

    /** Keeps row {@code i}'s keys in a free slot and returns the match. */
    Match keep(SortKeys[] keys, int i, double score, int segment, Segment s, int doc) {
        int slot = -1;
        if (kept.length > 0) {
            slot = freeCount > 0 ? free[--freeCount] : slots++;
            for (int k = 0; k < kept.length; k++) {
                kept[k].ensure(slot + 1);
                kept[k].copy(slot, keys[k], i);
            }
        }
        return new Match(segment, doc, score, slot, s.id(doc));
    }

    /** Gives back the slot of a match the heap dropped. */
    void drop(Match m) {
        if (m.slot() < 0) return;
        if (freeCount == free.length) free = java.util.Arrays.copyOf(free, free.length * 2);
        free[freeCount++] = m.slot();
        for (SortKeys k : kept) k.setNull(m.slot()); // let a dropped string go
    }

    /** Where a page that ends with {@code m} ended, for its cursor. */
    ResumeAfter position(Match m) {
        List<Value> values = new java.util.ArrayList<>(kept.length);
        for (SortKeys k : kept) values.add(k.value(m.slot()));
        return new ResumeAfter(values, m.score(), m.id());
    }

    private int compareKeys(Match a, Match b) {
        for (int k = 0; k < kept.length; k++) {
            int r = SortKeys.compare(kept[k], a.slot(), kept[k], b.slot(), descending[k]);
            if (r != 0) return r;
        }
        return 0;
    }

    /** A cursor's (or a merged hit's) key value back into row 0 of a sort-key column. */
    static void set(SortKeys k, Value v) {
        switch (v) {
            case Value.IntValue x -> k.setInt(0, x.value());
            case Value.FloatValue x -> k.setFloat(0, x.value());
            case Value.StringValue x -> k.setString(0, x.value());
            case Value.BoolValue x -> k.setPayload(0, dev.strata.core.value.ValueKind.BOOL, x.value() ? 1 : 0);
            case Value.DateValue x -> k.setPayload(0, dev.strata.core.value.ValueKind.DATE, x.epochDay());
            case Value.TimestampValue x -> k.setPayload(0, dev.strata.core.value.ValueKind.TIMESTAMP, x.epochMicros());
            default -> k.setNull(0);
        }
    }

    /** Best score first; a document without a score (NaN) last, as nulls sort last everywhere. */
    static int compareScores(double a, double b) {
        boolean aNone = Double.isNaN(a);
        boolean bNone = Double.isNaN(b);
        if (aNone || bNone) return aNone == bNone ? 0 : aNone ? 1 : -1;
        return Double.compare(b + 0.0, a + 0.0);
    }
}
