package dev.strata.node.cluster;

import dev.strata.core.DurableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What this member holds of one collection, partition by partition: a lock that orders every write,
 * copy and drop of the partition here; the partition's version; whether the copy here is complete
 * and current ({@code ready}); and, as owner, which backup member is known to hold a full copy.
 *
 * <p>A version is {@code term << 32 | counter}: every write the owner acknowledges adds one, and a
 * member that becomes owner starts a new term, so after any failover the new owner's versions are
 * above anything an old owner wrote without acknowledging. Versions are kept in a small file
 * (written and fsynced after the documents, so a crash can only make a copy look older than it
 * is); 0 means "holds nothing of this partition". A whole-cluster restart takes each partition
 * from the member with the highest version.
 */
final class Replicas {
    final ReentrantLock[] locks;
    private final long[] versions;
    private final boolean[] ready;
    private final String[] syncedBackup;
    private final boolean[] termed;
    private final Path file;

    Replicas(Path file, int partitions) {
        this.file = file;
        this.locks = new ReentrantLock[partitions];
        for (int p = 0; p < partitions; p++) locks[p] = new ReentrantLock();
        this.versions = new long[partitions];
        this.ready = new boolean[partitions];
        this.syncedBackup = new String[partitions];
        this.termed = new boolean[partitions];
        if (Files.exists(file)) load();
    }

    private void load() {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
            if (b.remaining() != versions.length * 8L) {
                throw new IllegalStateException(file + " holds " + b.remaining() / 8 + " partition versions, but the cluster has "
                        + versions.length + " partitions; a member's data directory must keep its partition count");
            }
            for (int p = 0; p < versions.length; p++) versions[p] = b.getLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code work} holding partition {@code p}'s lock: every write, copy and drop of {@code p}
     * here is ordered by it. Waits at most {@code wait} for it, then answers UNAVAILABLE (retried
     * by the caller): two members that briefly both act for a partition each hold their own lock
     * while they send to the other, and a bounded wait is what breaks that cycle.
     */
    <T> T locked(int p, java.time.Duration wait, java.util.function.Supplier<T> work) {
        lock(p, wait);
        try {
            return work.get();
        } finally {
            locks[p].unlock();
        }
    }

    /** Takes partition {@code p}'s lock, waiting at most {@code wait}; UNAVAILABLE when it is busy for longer. */
    void lock(int p, java.time.Duration wait) {
        try {
            if (!locks[p].tryLock(wait.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS)) {
                throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.UNAVAILABLE, "partition " + p + " is busy on this member; retry");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.UNAVAILABLE, "interrupted waiting for partition " + p);
        }
    }

    synchronized long version(int p) { return versions[p]; }

    synchronized long[] versions() { return versions.clone(); }

    synchronized boolean ready(int p) { return ready[p]; }

    synchronized boolean[] readiness() { return ready.clone(); }

    synchronized String syncedBackup(int p) { return syncedBackup[p]; }

    synchronized void syncedBackup(int p, String member) { syncedBackup[p] = member; }

    /** Marks the copy here complete at {@code version} (or not: {@code ready} false keeps the version for a restart). */
    synchronized void set(int p, long version, boolean isReady) {
        versions[p] = version;
        ready[p] = isReady;
        if (!isReady) {
            syncedBackup[p] = null;
            termed[p] = false;
        }
    }

    synchronized void unready(int p) {
        ready[p] = false;
        syncedBackup[p] = null;
        termed[p] = false;
    }

    /**
     * As owner, before the first write of its ownership: starts a new term (once; true if it did).
     * The owner's later versions are then above anything a former owner wrote unacknowledged.
     */
    synchronized boolean startTerm(int p) {
        if (termed[p]) return false;
        versions[p] = nextTerm(versions[p]);
        termed[p] = true;
        return true;
    }

    /** This member no longer owns {@code p}: a later ownership starts a new term. */
    synchronized void endTerm(int p) { termed[p] = false; }

    static long nextTerm(long version) { return ((version >>> 32) + 1) << 32; }

    /** Writes the versions: to a new file, fsynced, then moved over the old one. */
    synchronized void persist() {
        ByteBuffer b = ByteBuffer.allocate(versions.length * 8);
        for (long v : versions) b.putLong(v);
        DurableFile.replace(file, b.array(), "partition versions");
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
