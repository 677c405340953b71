package dev.strata.node.storage;

import dev.strata.core.segment.Schema;
import dev.strata.core.segment.Segment;
import dev.strata.core.value.Value;
import dev.strata.node.storage.files.CommitPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roaringbitmap.RoaringBitmap;

/**
 * Where each live document of a collection is: the buffer of writes since the last refresh, the
 * buffer being sealed (readable by id until its segment is published), and the published segments
 * with the documents deleted from each. A live id is in exactly one place: a write marks its
 * earlier version deleted, found by the segments' sorted ids (no map of every id is kept on the
 * heap). Every method expects the caller to hold this object's monitor, the collection's write
 * lock; only {@link #snapshot} is read without it.
 */
final class DocumentTable {
    /** A document written since the last refresh, as the JSON it is stored as (kept as text: a parsed tree takes ten times the room). */
    record Pending(byte[] json) {
        /** The document parsed (a refresh, or a GET of a document not sealed yet). */
        Value.ObjectValue doc() {
            return (Value.ObjectValue) dev.strata.core.value.Json.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** A buffer being sealed into segment {@code seq}. */
    record Frozen(long seq, List<String> ids, List<Pending> docs, Map<String, Integer> ordOf) {}

    /** Where {@link #find} found a document: pending (on the heap) or in a sealed segment. */
    record Found(Pending pending, Segment segment, int doc) {}

    private LinkedHashMap<String, Pending> buffer = new LinkedHashMap<>();
    private long bufferBytes;
    private long frozenBytes;
    private Frozen frozen;
    private final HashMap<Long, RoaringBitmap> deletes = new HashMap<>();
    private final Set<Long> dirtyDeletes = new HashSet<>();
    private long nextSeq = 1;
    private boolean changedSinceCommit;
    private volatile Snapshot snapshot = new Snapshot(0, List.of(), Schema.EMPTY);

    Snapshot snapshot() { return snapshot; }

    int pendingCount() { return buffer.size(); }

    /** JSON bytes of the documents not yet in a published segment (the buffer and a frozen one). */
    long pendingBytes() { return bufferBytes + frozenBytes; }

    long nextSeq() { return nextSeq; }

    long takeSeq() { return nextSeq++; }

    void startSeqsAt(long seq) { nextSeq = Math.max(nextSeq, seq); }

    boolean changedSinceCommit() { return changedSinceCommit || frozen != null || !buffer.isEmpty(); }

    /** Returns true if the document is new. */
    boolean put(String id, Pending source) {
        Pending old = buffer.put(id, source);
        bufferBytes += source.json().length - (old == null ? 0 : old.json().length);
        if (old != null) return false; // a buffered document is in no segment
        long loc = locate(id);
        if (loc < 0) return true;
        markDeleted(loc);
        return false;
    }

    /** Returns false if there was no live document with that id. */
    boolean delete(String id) {
        Pending old = buffer.remove(id);
        if (old != null) {
            bufferBytes -= old.json().length;
            return true;
        }
        long loc = locate(id);
        if (loc < 0) return false;
        markDeleted(loc);
        return true;
    }

    boolean contains(String id) { return buffer.containsKey(id) || locate(id) >= 0; }

    /** The live version of {@code id}, or null. */
    Found find(String id) {
        Pending p = buffer.get(id);
        if (p != null) return new Found(p, null, -1);
        long loc = locate(id);
        if (loc < 0) return null;
        long seq = loc >>> 32;
        if (frozen != null && frozen.seq() == seq) return new Found(frozen.docs().get((int) loc), null, -1);
        for (SegmentEntry e : snapshot.segments()) if (e.seq() == seq) return new Found(null, e.segment(), (int) loc);
        throw new IllegalStateException("segment " + seq + " is not published");
    }

    /** Segment number in the high half, document in the low half; -1 if {@code id} has no live sealed version. */
    private long locate(String id) {
        if (frozen != null) {
            Integer ord = frozen.ordOf().get(id);
            if (ord != null && !deletes.get(frozen.seq()).contains(ord)) return (frozen.seq() << 32) | ord;
        }
        List<SegmentEntry> segments = snapshot.segments();
        for (int i = segments.size() - 1; i >= 0; i--) {
            SegmentEntry e = segments.get(i);
            if (!e.segment().documents().mayContain(id)) continue;
            int doc = e.segment().documents().find(id);
            if (doc >= 0 && !deletes.get(e.seq()).contains(doc)) return (e.seq() << 32) | doc;
        }
        return -1;
    }

    private void markDeleted(long loc) {
        long seq = loc >>> 32;
        deletes.get(seq).add((int) loc);
        dirtyDeletes.add(seq);
    }

    /**
     * What the next refresh seals: a buffer whose seal failed before (retried first), else the
     * buffer (now frozen; a new one takes writes), else null. {@code retry} tells which.
     */
    Frozen toSeal() {
        if (frozen != null || buffer.isEmpty()) return frozen;
        long seq = nextSeq++;
        List<String> ids = new ArrayList<>(buffer.keySet());
        List<Pending> docs = new ArrayList<>(buffer.values());
        Map<String, Integer> ordOf = new HashMap<>(ids.size() * 2);
        for (int i = 0; i < ids.size(); i++) ordOf.put(ids.get(i), i);
        deletes.put(seq, new RoaringBitmap());
        frozen = new Frozen(seq, ids, docs, ordOf);
        frozenBytes = bufferBytes;
        bufferBytes = 0;
        buffer = new LinkedHashMap<>();
        return frozen;
    }

    boolean hasFrozen() { return frozen != null; }

    boolean hasPendingWork() { return frozen != null || !buffer.isEmpty() || !dirtyDeletes.isEmpty(); }

    /** Publishes a sealed buffer (or, with null, only the pending deletes). */
    void publishRefresh(SegmentEntry sealed) {
        publish(sealed == null ? List.of() : List.of(sealed), Set.of());
        if (sealed != null) {
            frozen = null;
            frozenBytes = 0;
            notifyAll(); // writers waiting for room in the buffer
        }
        changedSinceCommit = true;
    }

    /** The deletes of each segment as they are now (a merge drops these documents). */
    Map<Long, RoaringBitmap> deletesOf(List<SegmentEntry> segments) {
        Map<Long, RoaringBitmap> out = new HashMap<>();
        for (SegmentEntry e : segments) out.put(e.seq(), deletes.get(e.seq()).clone());
        return out;
    }

    /**
     * Replaces the merged segments by {@code merged}; {@code origin} says where each of its
     * documents came from, so the ones deleted while the merge ran are deleted in it too.
     */
    void publishMerge(List<SegmentEntry> pick, SegmentEntry merged, long[] origin) {
        RoaringBitmap deleted = new RoaringBitmap();
        for (int i = 0; i < origin.length; i++) {
            if (deletes.get(origin[i] >>> 32).contains((int) origin[i])) deleted.add(i);
        }
        deletes.put(merged.seq(), deleted);
        Set<Long> removed = new HashSet<>();
        for (SegmentEntry e : pick) {
            removed.add(e.seq());
            deletes.remove(e.seq());
            dirtyDeletes.remove(e.seq());
        }
        publish(List.of(merged), removed);
        changedSinceCommit = true;
    }

    /** The committed segments a start found, with their deletes. */
    void install(List<SegmentEntry> committed) {
        for (SegmentEntry e : committed) deletes.put(e.seq(), e.deleted().clone());
        publish(committed, Set.of());
    }

    /** What a commit point records now: each published segment and its deletes. */
    List<CommitPoint.Entry> commitEntries() {
        List<CommitPoint.Entry> entries = new ArrayList<>();
        for (SegmentEntry e : snapshot.segments()) entries.add(new CommitPoint.Entry(e.seq(), deletes.get(e.seq()).clone()));
        changedSinceCommit = false;
        return entries;
    }

    /** A commit failed: the next one must not think there is nothing to do. */
    void commitFailed() { changedSinceCommit = true; }

    /** Replaces {@code removed} by {@code added} and applies pending deletes. */
    private void publish(List<SegmentEntry> added, Set<Long> removed) {
        Snapshot old = snapshot;
        List<SegmentEntry> next = new ArrayList<>();
        boolean placed = false;
        for (SegmentEntry e : old.segments()) {
            if (removed.contains(e.seq())) {
                if (!placed) {
                    next.addAll(withDeletes(added));
                    placed = true;
                }
                continue;
            }
            next.add(dirtyDeletes.contains(e.seq()) ? new SegmentEntry(e.seq(), e.segment(), e.index(), deletes.get(e.seq()).clone()) : e);
        }
        if (!placed) next.addAll(withDeletes(added));
        dirtyDeletes.clear();
        Schema schema = Schema.union(next.stream().map(e -> e.segment().schema()).toList());
        if (schema.equals(old.schema())) schema = old.schema();
        snapshot = new Snapshot(old.generation() + 1, next, schema);
    }

    private List<SegmentEntry> withDeletes(List<SegmentEntry> added) {
        List<SegmentEntry> out = new ArrayList<>(added.size());
        for (SegmentEntry a : added) {
            RoaringBitmap d = deletes.get(a.seq());
            out.add(d.isEmpty() ? a : new SegmentEntry(a.seq(), a.segment(), a.index(), d.clone()));
        }
        return out;
    }
}
