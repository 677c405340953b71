package dev.strata.node.exec;

import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.CodePoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Merges pages of hits that shards (or cluster members) ranked on their own into the page one
 * collection holding them all would give: a k-way merge on each hit's {@link QueryExecutor.Hit#position}
 * in the query's order (sort keys as ORDER BY compares them, else score, then {@code _id}). Each
 * page must hold its shard's first {@code offset + limit} hits (after a cursor, if any).
 */
public final class HitMerge {
    private HitMerge() {}

    /** The merged hits {@code [offset, offset + limit)}; {@code descending} gives each ORDER BY key's direction. */
    public static List<QueryExecutor.Hit> merge(List<List<QueryExecutor.Hit>> pages, boolean[] descending, long offset, long limit) {
        SortKeys left = new SortKeys();
        SortKeys right = new SortKeys();
        left.ensure(1);
        right.ensure(1);
        Comparator<QueryExecutor.Hit> order = (a, b) -> compare(a.position(), b.position(), descending, left, right);
        record Head(QueryExecutor.Hit hit, int page, int index) {}
        PriorityQueue<Head> heads = new PriorityQueue<>(Math.max(1, pages.size()), (x, y) -> order.compare(x.hit(), y.hit()));
        for (int p = 0; p < pages.size(); p++) if (!pages.get(p).isEmpty()) heads.add(new Head(pages.get(p).get(0), p, 0));
        List<QueryExecutor.Hit> out = new ArrayList<>();
        long seen = 0;
        while (!heads.isEmpty() && out.size() < limit) {
            Head h = heads.poll();
            if (seen++ >= offset) out.add(h.hit());
            List<QueryExecutor.Hit> page = pages.get(h.page());
            if (h.index() + 1 < page.size()) heads.add(new Head(page.get(h.index() + 1), h.page(), h.index() + 1));
        }
        return out;
    }

    /** Two positions in the query's order, as {@code Ranking} orders matches; {@code x}, {@code y}: one-row scratch columns. */
    private static int compare(ResumeAfter a, ResumeAfter b, boolean[] descending, SortKeys x, SortKeys y) {
        int c = 0;
        if (descending.length == 0) {
            c = Ranking.compareScores(a.score(), b.score());
        } else {
            for (int k = 0; k < descending.length && c == 0; k++) {
                Ranking.set(x, a.keys().get(k));
                Ranking.set(y, b.keys().get(k));
                c = SortKeys.compare(x, 0, y, 0, descending[k]);
            }
        }
        return c != 0 ? c : CodePoints.compare(a.id(), b.id());
    }
}
