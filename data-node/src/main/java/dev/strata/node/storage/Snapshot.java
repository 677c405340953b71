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

    /**
     * The shards of one collection read as one: their segments side by side, their schemas united.
     * A query over the union answers what it would over one collection holding every shard's
     * documents (a cluster member queries the partitions it owns this way).
     */
    public static Snapshot union(List<Snapshot> shards) {
        List<SegmentEntry> all = new java.util.ArrayList<>();
        List<Schema> schemas = new java.util.ArrayList<>();
        long generation = 0;
        for (Snapshot s : shards) {
            all.addAll(s.segments());
            schemas.add(s.schema());
            generation += s.generation();
        }
        return new Snapshot(generation, all, Schema.union(schemas));
    }

    public long liveCount() {
        long n = 0;
        for (SegmentEntry e : segments) n += e.liveCount();
        return n;
    }
}
