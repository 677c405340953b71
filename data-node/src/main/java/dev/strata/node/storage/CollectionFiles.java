package dev.strata.node.storage;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.storage.files.CommitPoint;
import dev.strata.node.storage.files.SegmentFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of a collection's files and their clean-up. A collection directory holds
 * {@code collection.json}, {@code wal-G.log} (the writes of log generation G), the segments'
 * {@code seg-N.sdat}/{@code seg-N.ssrc}, and {@code commit-G.scp} (the commit point covering the
 * logs up to G). {@code checkpoint-G.log} is the format of earlier versions (every live document
 * in log records); it is read once at start and removed by the first commit.
 */
final class CollectionFiles {
    private static final Pattern WAL = Pattern.compile("wal-(\\d{8})\\.log");
    private static final Pattern CHECKPOINT = Pattern.compile("checkpoint-(\\d{8})\\.log");

    private final Path dir;

    CollectionFiles(Path dir) { this.dir = dir; }

    Path dir() { return dir; }

    /** Creates a collection directory holding {@code collection.json} with {@code meta}, all or nothing. */
    static void create(Path dir, Value.ObjectValue meta) {
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + "-");
            writeDurably(tmp.resolve("collection.json"), Json.write(meta).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            CommitPoint.syncDirectory(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create collection directory " + dir, e);
        }
    }

    /** Removes a collection directory and everything in it. */
    static void deleteAll(Path dir) {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }

    /** What {@code collection.json} says: name, mappings, field limit. */
    Value.ObjectValue meta() {
        try {
            return (Value.ObjectValue) Json.parse(Files.readString(dir.resolve("collection.json")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("collection.json"), e);
        }
    }

    Path wal(long generation) { return dir.resolve(String.format("wal-%08d.log", generation)); }

    /** The write-ahead logs present, by generation. */
    TreeMap<Long, Path> wals() { return numbered(WAL); }

    /** Checkpoints of the earlier format, by generation. */
    TreeMap<Long, Path> legacyCheckpoints() { return numbered(CHECKPOINT); }

    private TreeMap<Long, Path> numbered(Pattern p) {
        TreeMap<Long, Path> found = new TreeMap<>();
        for (Path f : list()) {
            Matcher m = p.matcher(f.getFileName().toString());
            if (m.matches()) found.put(Long.parseLong(m.group(1)), f);
        }
        return found;
    }

    private List<Path> list() {
        try (var files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * After a commit point covering log generation {@code covered} and naming {@code live} is
     * durable: removes the logs it covers, older commit points, old-format checkpoints, and segment
     * files it does not name (merged away, or left by a crash before any commit named them), and
     * the temporary files of interrupted writes.
     */
    void removeUnreferenced(long covered, Set<Long> live) throws IOException {
        for (Path f : list()) {
            String n = f.getFileName().toString();
            Matcher w = WAL.matcher(n);
            long commit = CommitPoint.generationOf(n);
            long seg = SegmentFiles.seqOf(n);
            boolean garbage = (w.matches() && Long.parseLong(w.group(1)) <= covered)
                    || (commit >= 0 && commit < covered)
                    || CHECKPOINT.matcher(n).matches() || n.equals("checkpoint.tmp") || n.equals("commit.tmp")
                    || (seg >= 0 && !live.contains(seg));
            if (garbage) Files.deleteIfExists(f);
        }
        CommitPoint.syncDirectory(dir);
    }

    /** Removes segment files no commit point names, and temporary files; start-up calls this before replay. */
    void removeOrphans(Set<Long> live) throws IOException {
        for (Path f : list()) {
            String n = f.getFileName().toString();
            long seg = SegmentFiles.seqOf(n);
            if ((seg >= 0 && !live.contains(seg)) || n.equals("commit.tmp") || n.equals("checkpoint.tmp")) Files.deleteIfExists(f);
        }
    }

    static void writeDurably(Path file, byte[] bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
    }
}
