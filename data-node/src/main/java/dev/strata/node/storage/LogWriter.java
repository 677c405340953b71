package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.node.storage.files.CommitPoint;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A collection's current write-ahead log generation, and what happens when its files cannot be
 * written. Appends and rolls happen under the {@link DocumentTable}'s monitor (the caller holds it);
 * syncs outside it.
 *
 * <p><b>Disk faults.</b> When a write cannot be made durable (the log cannot be appended to, synced
 * or rolled to a new file: disk full, read-only directory, an I/O error), the collection turns
 * read-only: the write that met the fault and every later one is refused with
 * {@link ErrorCode#READ_ONLY}, reads go on, and {@code /health} names the collection and the cause.
 * (A segment or commit point that cannot be written while the log still can is background work
 * that is retried and shown on {@code /health}; writes stay durable in the log meanwhile.) Nothing acknowledged is lost: an
 * acknowledged write was synced before the fault, and a failed append is cut off the log again. A
 * failed sync leaves pages whose fate the kernel does not tell, so the log is not trusted again:
 * writes come back only with a successful commit, which rolls to a new log and writes everything
 * the buffer holds to new segment files. The node's commit task retries that (with back-off).
 */
final class LogWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

    /** Why a collection is read-only, and since when. */
    record Fault(String reason, Instant since) {}

    /** Where an append ended in which log: what a writer syncs to before its reply. */
    record Appended(WriteAheadLog log, long position) {}

    private final String collection;
    private final CollectionFiles files;
    // Guarded by the table's monitor:
    private WriteAheadLog wal;
    private long generation;
    private boolean closed;
    private volatile Fault fault;

    private final StorageObserver observer;

    LogWriter(String collection, CollectionFiles files, StorageObserver observer) {
        this.collection = collection;
        this.files = files;
        this.observer = observer;
    }

    /** Recovery hands over the log it replayed last, which takes new writes. */
    void start(long generation, WriteAheadLog log) {
        log.onSync(ns -> observer.logSynced(collection, ns));
        this.generation = generation;
        this.wal = log;
    }

    /** Refuses a write after {@link #close} (the collection was closed or dropped meanwhile). */
    void checkOpen() {
        if (closed) throw new StrataException(ErrorCode.NOT_FOUND, "collection '" + collection + "' is closed");
    }

    boolean isClosed() { return closed; }

    /** Closes the current log (syncing it); later writes are refused. */
    void close() {
        if (closed) return;
        closed = true;
        wal.close();
    }

    /** Why writes are refused, or null when they are accepted. */
    Fault fault() { return fault; }

    /** Refuses a write while the collection is read-only. */
    void checkWritable() {
        Fault f = fault;
        if (f != null) throw refusal(f);
    }

    private StrataException refusal(Fault f) {
        return new StrataException(ErrorCode.READ_ONLY, "collection '" + collection + "' is read-only since " + f.since()
                + " because its files cannot be written: " + f.reason() + ". Reads go on and nothing acknowledged is lost;"
                + " free disk space or make its directory writable, and writes are accepted again after the next successful commit");
    }

    /** Turns the collection read-only (the first cause is kept until it recovers). */
    void failed(String what, Throwable cause) {
        if (fault == null) {
            String reason = what + ": " + describe(cause);
            fault = new Fault(reason, Instant.now());
            LOG.error("collection {} is read-only: {}", collection, reason, cause);
        }
    }

    /** The operating system's words for a fault, naming files by their name in the collection, never by a server path. */
    private String describe(Throwable cause) {
        Throwable t = cause;
        while (t.getCause() != null && !(t instanceof java.io.IOException)) t = t.getCause();
        if (t instanceof UncheckedIOException u && u.getCause() != null) t = u.getCause();
        if (t instanceof java.nio.file.FileSystemException f) {
            String file = f.getFile() == null ? "" : java.nio.file.Path.of(f.getFile()).getFileName() + ": ";
            String reason = f.getReason() != null ? f.getReason() : f.getClass().getSimpleName().replace("Exception", "");
            return file + reason;
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replace(files.dir().toString() + "/", "").replace(files.dir().toString(), collection);
    }

    /** A commit succeeded: the collection's files can be written again. */
    void recovered() {
        Fault f = fault;
        if (f != null) {
            fault = null;
            LOG.info("collection {} accepts writes again (read-only since {} because {})", collection, f.since(), f.reason());
        }
    }

    /** Appends encoded records (the caller holds the table's monitor); a failure turns the collection read-only. */
    Appended append(ByteBuffer records) {
        checkOpen();
        checkWritable();
        try {
            return new Appended(wal, wal.append(records));
        } catch (UncheckedIOException e) {
            failed("cannot append to its write-ahead log", e);
            throw refusal(fault);
        }
    }

    /** Returns once an append is on disk; a failure turns the collection read-only and refuses the write. */
    void sync(Appended a) {
        try {
            a.log().syncTo(a.position());
        } catch (UncheckedIOException e) {
            failed("cannot sync its write-ahead log (the write may or may not survive a crash)", e);
            throw refusal(fault);
        }
    }

    /** Log bytes written since the last roll. */
    long size() { return wal.size(); }

    /**
     * Starts a new log generation (the caller holds the table's monitor) and returns the previous
     * log with the generation it was, for the caller to sync and close outside the lock.
     */
    Rolled roll() {
        checkOpen();
        WriteAheadLog next = WriteAheadLog.open(files.wal(generation + 1), e -> { });
        next.onSync(ns -> observer.logSynced(collection, ns));
        Rolled r = new Rolled(wal, generation);
        wal = next;
        generation++;
        return r;
    }

    /** A log that was current until a roll. */
    record Rolled(WriteAheadLog log, long generation) {
        void finish(CollectionFiles files) {
            CommitPoint.syncDirectory(files.dir());
            log.close();
        }
    }

    long generation() { return generation; }

    /**
     * A commit's first step (the caller holds no lock): when there is anything to commit, starts a
     * new log generation under the write lock and returns the last one the commit covers;
     * otherwise null. The old log is synced and closed outside the lock (a writer still syncing to
     * it finds its records synced). While read-only, it rolls even an empty log: the commit is the
     * way back.
     */
    Long rollForCommit(DocumentTable t) {
        Rolled rolled;
        synchronized (t) {
            checkOpen();
            if (wal.size() == 0 && fault == null) {
                return t.changedSinceCommit() ? generation - 1 : null; // the current log is empty: nothing of it to cover
            }
            rolled = roll();
        }
        rolled.finish(files);
        return rolled.generation();
    }

    WriteAheadLog current() { return wal; }
}
