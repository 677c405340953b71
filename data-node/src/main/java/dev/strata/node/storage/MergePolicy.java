package dev.strata.node.storage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which segments to merge: {@code factor} segments of one size tier (live documents within a
 * factor of 4), smallest first, as long as the result stays under {@code maxDocs} live documents. A
 * merge is built on the heap before it is written, so the cap bounds what a merge holds; segments
 * at the cap stay as they are (a query pays a little per segment, far less than a merge would cost).
 */
record MergePolicy(int factor, int maxDocs) {
    static final int DEFAULT_MAX_DOCS = 1 << 20;

    List<SegmentEntry> pick(List<SegmentEntry> segments) {
        Map<Integer, List<SegmentEntry>> tiers = new TreeMap<>();
        for (SegmentEntry e : segments) {
            int live = Math.max(1, e.liveCount());
            tiers.computeIfAbsent((31 - Integer.numberOfLeadingZeros(live)) / 2, t -> new ArrayList<>()).add(e);
        }
        for (List<SegmentEntry> t : tiers.values()) {
            if (t.size() < factor) continue;
            t.sort(Comparator.comparingInt(SegmentEntry::liveCount));
            List<SegmentEntry> pick = t.subList(0, factor);
            long live = pick.stream().mapToLong(SegmentEntry::liveCount).sum();
            if (live <= maxDocs) return List.copyOf(pick);
        }
        return List.of();
    }
}
