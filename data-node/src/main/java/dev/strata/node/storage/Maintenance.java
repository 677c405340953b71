package dev.strata.node.storage;

import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.node.index.SegmentIndex;
import dev.strata.node.storage.files.CommitPoint;
import dev.strata.node.storage.files.SegmentFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.roaringbitmap.RoaringBitmap;

/**
 * A collection's refresh, merge and commit. Refresh and commit take turns on one lock; a merge
 * holds it only to pick its segments and to publish the result, so refreshes go on while it
 * builds. All do their heavy work (building a segment, writing and syncing files) outside the
 * write lock, so writers and queries go on meanwhile. A new segment is built on the heap, written to its files, mapped, and the mapped
 * one is published; the heap copy is garbage from then on.
 */
final class Maintenance {
    private final Collection collection;
    private final DocumentTable table;
    private final CollectionFiles files;
    private final LogWriter log;
    private final MergePolicy mergePolicy;
    private final ReentrantLock lock = new ReentrantLock();
    /** Serialises merges, which hold {@link #lock} only to pick and to publish. */
    private final ReentrantLock mergeLock = new ReentrantLock();
    /** Segments a merge is writing (not yet published): a commit's clean-up leaves their files alone. Guarded by lock. */
    private final Set<Long> merging = new HashSet<>();
    /** Segments written but not yet synced (the next commit syncs them). Guarded by lock. */
    private final Set<Long> unsynced = new HashSet<>();
    private volatile long lastCommitNanos = System.nanoTime();

    Maintenance(Collection collection, DocumentTable table, CollectionFiles files, LogWriter log, MergePolicy mergePolicy) {
        this.collection = collection;
        this.log = log;
        this.table = table;
        this.files = files;
        this.mergePolicy = mergePolicy;
    }

    ReentrantLock lock() { return lock; }

    /** Held while a merge runs; closing takes it first, so that no merge outlives its collection. */
    ReentrantLock mergeLock() { return mergeLock; }

    long lastCommitNanos() { return lastCommitNanos; }

    boolean refresh() {
        lock.lock();
        long t0 = System.nanoTime();
        try {
            DocumentTable.Frozen f;
            boolean retry;
            synchronized (table) {
                if (!table.hasPendingWork()) return false;
                retry = table.hasFrozen(); // a seal that failed before is retried first
                f = table.toSeal();
            }
            SegmentEntry sealed = null;
            if (f != null) {
                SegmentBuilder b = collection.mappings().applyTo(new SegmentBuilder());
                for (int i = 0; i < f.ids().size(); i++) b.add(f.ids().get(i), f.docs().get(i).doc(), f.docs().get(i).json());
                Segment s = b.build();
                sealed = writeAndOpen(f.seq(), s, SegmentIndex.build(s));
                unsynced.add(f.seq());
            }
            synchronized (table) {
                table.publishRefresh(sealed);
            }
            if (sealed != null) {
                collection.options().observer().refreshed(collection.name(), System.nanoTime() - t0, sealed.segment().docCount());
            }
            if (retry) refresh(); // and now what was written meanwhile
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Writes a segment built on the heap to its files and maps them. */
    private SegmentEntry writeAndOpen(long seq, Segment built, SegmentIndex index) {
        try {
            SegmentFiles.write(files.dir(), seq, built, index);
            SegmentFiles.Opened o = SegmentFiles.open(files.dir(), seq);
            return new SegmentEntry(seq, o.segment(), o.index(), new RoaringBitmap());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(SegmentFiles.dataFile(files.dir(), seq));
                Files.deleteIfExists(SegmentFiles.sourceFile(files.dir(), seq));
            } catch (IOException ignored) {
                // the next commit or start removes files no commit point names
            }
            throw new UncheckedIOException("cannot write segment " + seq + " of collection " + collection.name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Merges one full tier, if any. Only the pick and the publish take the lock; the build and the
     * writing run beside refreshes and commits (a merge of a million documents takes seconds, and
     * the write buffer must not grow meanwhile). Deletes that land while it runs are carried over
     * at publish; its files are kept out of a commit's clean-up until published.
     */
    boolean maybeMerge() {
        mergeLock.lock();
        long t0 = System.nanoTime();
        try {
            List<SegmentEntry> pick;
            Map<Long, RoaringBitmap> deletedAtPick;
            long seq;
            lock.lock();
            try {
                pick = mergePolicy.pick(table.snapshot().segments());
                if (pick.isEmpty()) return false;
                synchronized (table) {
                    deletedAtPick = table.deletesOf(pick);
                    seq = table.takeSeq();
                }
                merging.add(seq);
            } finally {
                lock.unlock();
            }
            SegmentEntry merged = null;
            long[] origin = null;
            try {
                SegmentBuilder b = collection.mappings().applyTo(new SegmentBuilder());
                long live = pick.stream().mapToLong(e -> e.segment().docCount() - deletedAtPick.get(e.seq()).getCardinality()).sum();
                origin = new long[(int) live];
                int n = 0;
                for (SegmentEntry e : pick) {
                    RoaringBitmap gone = deletedAtPick.get(e.seq());
                    Segment s = e.segment();
                    b.append(s, gone::contains); // column by column: no source is parsed again
                    for (int d = 0; d < s.docCount(); d++) if (!gone.contains(d)) origin[n++] = (e.seq() << 32) | d;
                }
                Segment built = b.build();
                merged = writeAndOpen(seq, built, SegmentIndex.build(built));
            } finally {
                lock.lock();
                try {
                    merging.remove(seq);
                    if (merged != null) {
                        synchronized (table) {
                            table.publishMerge(pick, merged, origin);
                        }
                        unsynced.add(seq);
                    }
                } finally {
                    lock.unlock();
                }
            }
            collection.options().observer().merged(collection.name(), System.nanoTime() - t0, pick.size());
            return true;
        } finally {
            mergeLock.unlock();
        }
    }

    /**
     * Starts a new log generation, seals what the buffer holds, syncs every segment not yet synced,
     * writes a commit point naming the live segments and their deletes, and removes the logs it
     * covers and the files it no longer names. Returns false if there was nothing to commit.
     */
    boolean commit() {
        lock.lock();
        try {
            Long covered;
            try {
                covered = log.rollForCommit(table);
            } catch (UncheckedIOException e) {
                log.failed("cannot start a new write-ahead log", e);
                throw e;
            }
            if (covered == null) return false;
            refresh(); // seals every write of the covered logs (maybe a few later ones too: replaying those again is harmless)
            List<CommitPoint.Entry> entries;
            long next;
            synchronized (table) {
                entries = table.commitEntries();
                next = table.nextSeq();
            }
            Set<Long> live = new HashSet<>();
            for (CommitPoint.Entry e : entries) live.add(e.seq());
            try {
                for (long seq : unsynced) if (live.contains(seq)) SegmentFiles.sync(files.dir(), seq);
                new CommitPoint(covered, next, entries).write(files.dir());
                unsynced.clear();
                Set<Long> keep = new HashSet<>(live);
                keep.addAll(merging);
                files.removeUnreferenced(covered, keep);
            } catch (IOException e) {
                synchronized (table) {
                    table.commitFailed();
                }
                throw new UncheckedIOException("cannot commit collection " + collection.name() + ": " + e.getMessage(), e);
            }
            lastCommitNanos = System.nanoTime();
            log.recovered();
            return true;
        } finally {
            lock.unlock();
        }
    }
}
