package dev.strata.node.storage;

import dev.strata.core.segment.Segment;
import dev.strata.node.index.SegmentIndex;
import org.roaringbitmap.RoaringBitmap;

/**
 * A sealed segment as one snapshot sees it: its indexes and the documents deleted from it so far.
 * {@code deleted} belongs to the snapshot and is never mutated; read it, never write it.
 */
public record SegmentEntry(long seq, Segment segment, SegmentIndex index, RoaringBitmap deleted) {
    public int liveCount() { return segment.docCount() - deleted.getCardinality(); }
}
