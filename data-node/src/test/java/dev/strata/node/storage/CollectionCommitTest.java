package dev.strata.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.storage.files.CorruptFileException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segment files, commit points and what a start does with them, on real files. */
class CollectionCommitTest {
    @TempDir Path dir;

    private static Value.ObjectValue doc(String json) { return (Value.ObjectValue) Json.parse(json); }

    private static List<String> files(Path c) throws Exception {
        try (var f = Files.list(c)) {
            return f.map(p -> p.getFileName().toString()).filter(n -> !n.equals("collection.json")).sorted().toList();
        }
    }

    private static List<String> ids(Collection c) {
        List<String> out = new ArrayList<>();
        for (SegmentEntry e : c.snapshot().segments()) {
            for (int d = 0; d < e.segment().docCount(); d++) if (!e.deleted().contains(d)) out.add(e.segment().id(d));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    @Test
    void aCommitReplacesTheLogsItCoversAndAStartMapsItsSegmentsAndReplaysOnlyTheTail() throws Exception {
        Path c = dir.resolve("c");
        try (Collection col = Collection.create(c, "c", Mappings.NONE, Collection.Options.DEFAULT)) {
            col.put("a", doc("{\"v\":1}"));
            col.put("b", doc("{\"v\":2}"));
            col.refresh();
            col.put("c", doc("{\"v\":3}")); // still in the buffer when the commit starts: the commit seals it
            assertThat(col.commit()).isTrue();
            assertThat(files(c)).containsExactly("commit-00000001.scp", "seg-00000001.sdat", "seg-00000001.ssrc",
                    "seg-00000002.sdat", "seg-00000002.ssrc", "wal-00000002.log");
            assertThat(col.commitIfDue(Long.MAX_VALUE, java.time.Duration.ofHours(1))).as("nothing due").isFalse();
            col.delete("a");
            col.put("b", doc("{\"v\":20}"));
            // closing commits: the next start has no log to replay
        }
        assertThat(files(c)).contains("commit-00000002.scp", "wal-00000003.log").doesNotContain("commit-00000001.scp", "wal-00000002.log");
        assertThat(Files.size(c.resolve("wal-00000003.log"))).isZero();
        try (Collection col = Collection.open(c, Collection.Options.DEFAULT)) {
            assertThat(col.get("a")).isNull();
            assertThat(col.get("b")).isEqualTo(doc("{\"v\":20}"));
            assertThat(col.get("c")).isEqualTo(doc("{\"v\":3}"));
            assertThat(col.snapshot().liveCount()).isEqualTo(2);
            assertThat(ids(col)).containsExactly("b", "c");
            assertThat(col.commit()).as("nothing changed since the last commit").isFalse();
        }
    }

    @Test
    void aCrashAfterARefreshLosesNothingAndItsUncommittedSegmentFilesAreRemovedAtStart() throws Exception {
        Path c = dir.resolve("c");
        Path copy = dir.resolve("copy");
        try (Collection col = Collection.create(c, "c", Mappings.NONE, Collection.Options.DEFAULT)) {
            col.put("a", doc("{\"v\":1}"));
            col.commit();
            col.put("b", doc("{\"v\":2}"));
            col.put("a", doc("{\"v\":10}"));
            col.refresh(); // segment 2 written, not committed
            assertThat(files(c)).contains("seg-00000002.sdat");
            copyDirectory(c, copy); // what a kill -9 now leaves on disk
        }
        // and what a kill -9 in the middle of writing a merge leaves: a segment no commit point names
        Files.copy(copy.resolve("seg-00000002.sdat"), copy.resolve("seg-00000009.sdat"));
        Files.write(copy.resolve("seg-00000009.ssrc"), new byte[] {1, 2, 3});
        try (Collection col = Collection.open(copy, Collection.Options.DEFAULT)) {
            assertThat(col.get("a")).isEqualTo(doc("{\"v\":10}"));
            assertThat(col.get("b")).isEqualTo(doc("{\"v\":2}"));
            assertThat(ids(col)).containsExactly("a", "b");
            assertThat(files(copy)).as("segments 2 and 9 were no commit's: removed, the log's writes sealed into a new segment 2")
                    .containsExactly("commit-00000001.scp", "seg-00000001.sdat", "seg-00000001.ssrc", "seg-00000002.sdat",
                            "seg-00000002.ssrc", "wal-00000002.log");
        }
    }

    private static void copyDirectory(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var f = Files.list(from)) {
            for (Path p : f.toList()) Files.copy(p, to.resolve(p.getFileName()));
        }
    }

    @Test
    void aMergeDropsDeletedDocumentsAndTheNextCommitRemovesTheMergedFiles() throws Exception {
        Path c = dir.resolve("c");
        try (Collection col = Collection.create(c, "c", Mappings.NONE, Collection.Options.DEFAULT)) {
            for (int s = 0; s < 4; s++) {
                for (int i = 0; i < 3; i++) col.put("d" + s + i, doc("{\"s\":" + s + ",\"i\":" + i + "}"));
                col.refresh();
            }
            col.commit();
            col.delete("d00");
            col.put("d11", doc("{\"s\":1,\"i\":11}"));
            assertThat(col.maybeMerge()).isTrue();
            col.refresh();
            assertThat(col.snapshot().segments()).hasSize(2); // the merged one and the refreshed update
            assertThat(files(c)).as("the last commit still names the merged segments").contains("seg-00000001.sdat");
            col.commit();
            assertThat(files(c)).doesNotContain("seg-00000001.sdat", "seg-00000004.ssrc");
        }
        try (Collection col = Collection.open(c, Collection.Options.DEFAULT)) {
            assertThat(col.snapshot().liveCount()).isEqualTo(11);
            assertThat(col.get("d00")).isNull();
            assertThat(col.get("d11")).isEqualTo(doc("{\"s\":1,\"i\":11}"));
            assertThat(col.get("d32")).isEqualTo(doc("{\"s\":3,\"i\":2}"));
        }
    }

    @Test
    void aDirectoryOfTheEarlierFormatIsReadAndTheFirstCommitReplacesItsCheckpoint() throws Exception {
        Path c = dir.resolve("c");
        try (Collection col = Collection.create(c, "c", Mappings.NONE, Collection.Options.DEFAULT)) {
            col.put("x", doc("{}"));
        }
        Collection.deleteFiles(c);
        Collection.create(c, "c", Mappings.NONE, Collection.Options.DEFAULT).discard();
        for (String f : files(c)) Files.delete(c.resolve(f));
        write(c.resolve("checkpoint-00000001.log"), List.of(put("a", "{\"v\":1}"), put("b", "{\"v\":2}")));
        write(c.resolve("wal-00000002.log"), List.of(put("a", "{\"v\":3}"), new WriteAheadLog.Entry(WriteAheadLog.DELETE, "b", (byte[]) null)));
        try (Collection col = Collection.open(c, Collection.Options.DEFAULT)) {
            assertThat(col.get("a")).isEqualTo(doc("{\"v\":3}"));
            assertThat(col.get("b")).isNull();
        }
        assertThat(files(c)).noneMatch(f -> f.startsWith("checkpoint-")).contains("commit-00000002.scp");
        try (Collection col = Collection.open(c, Collection.Options.DEFAULT)) {
            assertThat(ids(col)).containsExactly("a");
        }
    }

    private static WriteAheadLog.Entry put(String id, String json) { return new WriteAheadLog.Entry(WriteAheadLog.PUT, id, json); }

    private static void write(Path f, List<WriteAheadLog.Entry> entries) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer b = WriteAheadLog.encode(entries);
            while (b.hasRemaining()) ch.write(b);
        }
    }

    /** A committed collection with one segment; returns its directory. */
    private Path committed(String name) {
        Path c = dir.resolve(name);
        try (Collection col = Collection.create(c, name, Mappings.NONE, Collection.Options.DEFAULT)) {
            for (int i = 0; i < 200; i++) col.put("id" + i, doc("{\"title\":\"item " + i + "\",\"price\":" + i + ".5,\"tags\":[\"t" + (i % 7) + "\"]}"));
        }
        return c;
    }

    @Test
    void aFlippedByteInAnyFileACommitNamesStopsTheCollectionFromOpeningAndTheMessageNamesTheFile() throws Exception {
        for (String file : List.of("seg-00000001.sdat", "seg-00000001.ssrc", "commit-00000001.scp")) {
            Path c = committed("flip-" + file.replace('.', '-'));
            Path f = c.resolve(file);
            for (long at : new long[] {0, Files.size(f) / 2, Files.size(f) - 1}) {
                flip(f, at);
                assertThatThrownBy(() -> Collection.open(c, Collection.Options.DEFAULT)).as(file + " at " + at)
                        .isInstanceOf(CorruptFileException.class).hasMessageContaining(file).hasMessageContaining("damaged");
                flip(f, at); // back as it was
            }
            Collection.open(c, Collection.Options.DEFAULT).close(); // and whole again, it opens
        }
    }

    @Test
    void aTruncatedFileStopsTheCollectionFromOpeningAndTheMessageNamesTheFile() throws Exception {
        for (String file : List.of("seg-00000001.sdat", "seg-00000001.ssrc", "commit-00000001.scp")) {
            Path c = committed("cut-" + file.replace('.', '-'));
            Path f = c.resolve(file);
            for (long size : new long[] {Files.size(f) - 1, Files.size(f) / 2, 10, 0}) {
                try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                    r.setLength(size);
                }
                assertThatThrownBy(() -> Collection.open(c, Collection.Options.DEFAULT)).as(file + " cut to " + size)
                        .isInstanceOf(CorruptFileException.class).hasMessageContaining(file);
            }
        }
    }

    @Test
    void aMissingSegmentFileIsNamedToo() throws Exception {
        Path c = committed("gone");
        Files.delete(c.resolve("seg-00000001.ssrc"));
        assertThatThrownBy(() -> Collection.open(c, Collection.Options.DEFAULT)).hasMessageContaining("seg-00000001.ssrc");
    }

    private static void flip(Path f, long at) throws Exception {
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.seek(at);
            int b = r.read();
            r.seek(at);
            r.write(b ^ 0x10);
        }
    }
}
