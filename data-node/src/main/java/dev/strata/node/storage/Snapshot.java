package dev.strata.node.storage;

import dev.strata.core.segment.Schema;
import java.util.List;

/**
 * What a query reads: the sealed segments at one refresh, with their deletes. Immutable; a query
 * keeps the snapshot it started with while refreshes and merges publish new ones.
 */
public record Snapshot(long generation, List<SegmentEntry> segments, Schema schema) {
    public Snapshot {
        segments = List.copyOf(segments);
    }

    public long liveCount() {
        long n = 0;
        for (SegmentEntry e : segments) n += e.liveCount();
        return n;
    }
}
