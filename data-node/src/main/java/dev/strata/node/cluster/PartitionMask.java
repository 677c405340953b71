package dev.strata.node.cluster;

import dev.strata.core.segment.Segment;
import dev.strata.node.storage.SegmentEntry;
import dev.strata.node.storage.Snapshot;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * A member's local collection holds every partition it owns or backs up; a query must read only
 * the partitions it answers for. This restricts a snapshot to a set of partitions by adding the
 * other partitions' documents to each segment's deletes, so every path of the executor (indexes,
 * counts, groups, facets) skips them without knowing partitions exist. A segment's partition per
 * document is computed once (segments are immutable) and the mask once per segment and set.
 */
final class PartitionMask {
    private final ClusterFabric fabric;
    private final Map<Segment, int[]> partitions = Collections.synchronizedMap(new WeakHashMap<>());
    private final Map<Segment, Masked> masks = Collections.synchronizedMap(new WeakHashMap<>());

    private record Masked(BitSet set, RoaringBitmap hidden) {}

    PartitionMask(ClusterFabric fabric) { this.fabric = fabric; }

    /** The partition of each document of {@code s}, by document number. */
    int[] partitionsOf(Segment s) {
        int[] p = partitions.get(s);
        if (p != null) return p;
        p = new int[s.docCount()];
        for (int d = 0; d < p.length; d++) p[d] = fabric.partitionOf(s.id(d));
        partitions.put(s, p);
        return p;
    }

    /** {@code s} with every document outside {@code keep} (a set of partitions) read as deleted. */
    Snapshot restrict(Snapshot s, BitSet keep) {
        List<SegmentEntry> out = new ArrayList<>(s.segments().size());
        for (SegmentEntry e : s.segments()) {
            RoaringBitmap hidden = hidden(e.segment(), keep);
            out.add(hidden.isEmpty() ? e : new SegmentEntry(e.seq(), e.segment(), e.index(), RoaringBitmap.or(e.deleted(), hidden)));
        }
        return new Snapshot(s.generation(), out, s.schema());
    }

    private RoaringBitmap hidden(Segment s, BitSet keep) {
        Masked m = masks.get(s);
        if (m != null && m.set().equals(keep)) return m.hidden();
        int[] p = partitionsOf(s);
        RoaringBitmap hidden = new RoaringBitmap();
        for (int d = 0; d < p.length; d++) if (!keep.get(p[d])) hidden.add(d);
        hidden.runOptimize();
        masks.put(s, new Masked((BitSet) keep.clone(), hidden));
        return hidden;
    }

    /** The ids of the live documents of partition {@code partition} in {@code s}. */
    List<String> idsOf(Snapshot s, int partition) {
        List<String> ids = new ArrayList<>();
        for (SegmentEntry e : s.segments()) {
            int[] p = partitionsOf(e.segment());
            for (int d = 0; d < p.length; d++) if (p[d] == partition && !e.deleted().contains(d)) ids.add(e.segment().id(d));
        }
        return ids;
    }
}
