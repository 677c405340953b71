package dev.strata.node.storage;

import dev.strata.node.storage.files.CommitPoint;
import dev.strata.node.storage.files.SegmentFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a start does for one collection: read the newest commit point, map the segments it names
 * (checking each file's checksum; a damaged one stops the collection from opening, naming the
 * file), remove files no commit point names (a refresh or merge the process died in), and replay
 * the logs after the commit point in order. Nothing is rebuilt that a commit point holds.
 *
 * <p>A directory of an earlier version has no commit point but a {@code checkpoint-G.log}: it is
 * replayed like a log, and the first commit replaces it.
 */
final class Recovery {
    private final Collection collection;
    private final DocumentTable table;
    private final CollectionFiles files;

    Recovery(Collection collection, DocumentTable table, CollectionFiles files) {
        this.collection = collection;
        this.table = table;
        this.files = files;
    }

    void run() {
        try {
            CommitPoint commit = CommitPoint.latest(files.dir());
            long covered = commit == null ? 0 : commit.walCovered();
            Set<Long> live = new HashSet<>();
            if (commit != null) for (CommitPoint.Entry e : commit.segments()) live.add(e.seq());
            files.removeOrphans(live);
            List<SegmentEntry> committed = new ArrayList<>();
            if (commit != null) {
                for (CommitPoint.Entry e : commit.segments()) {
                    SegmentFiles.Opened o = SegmentFiles.open(files.dir(), e.seq());
                    if (!e.deleted().isEmpty() && Integer.toUnsignedLong(e.deleted().last()) >= o.segment().docCount()) {
                        throw new dev.strata.node.storage.files.CorruptFileException(CommitPoint.file(files.dir(), covered),
                                "it deletes documents segment " + e.seq() + " does not have");
                    }
                    committed.add(new SegmentEntry(e.seq(), o.segment(), o.index(), e.deleted()));
                }
            }
            synchronized (table) {
                if (commit != null) table.startSeqsAt(commit.nextSeq());
                table.install(committed);
                for (SegmentEntry e : committed) collection.fields().recordPaths(e.segment().columns().keySet());
            }
            if (commit == null) {
                TreeMap<Long, Path> old = files.legacyCheckpoints();
                if (!old.isEmpty()) {
                    covered = old.lastKey();
                    WriteAheadLog.replay(old.lastEntry().getValue(), collection::applyReplayed);
                }
            }
            replayLogs(covered);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open collection in " + files.dir() + ": " + e.getMessage(), e);
        }
    }

    /** Replays every log after {@code covered} in order; the newest stays open for appending. */
    private void replayLogs(long covered) {
        TreeMap<Long, Path> logs = files.wals();
        logs.headMap(covered, true).clear();
        long current = logs.isEmpty() ? covered + 1 : logs.lastKey();
        for (Map.Entry<Long, Path> e : logs.entrySet()) {
            if (e.getKey() == current) break;
            WriteAheadLog.replay(e.getValue(), collection::applyReplayed);
        }
        collection.startLog(current, WriteAheadLog.open(files.wal(current), collection::applyReplayed));
    }
}
