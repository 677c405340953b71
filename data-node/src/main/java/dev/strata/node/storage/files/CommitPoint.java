package dev.strata.node.storage.files;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.buffer.ImmutableRoaringBitmap;

/**
 * What a collection's durable state is: the live segments with the documents deleted from each,
 * and the write-ahead log generations whose writes they hold. Written last, atomically (a
 * temporary file, fsync, rename, fsync of the directory), after every segment it names is durable;
 * a crash leaves either the previous commit point or this one. Start-up maps the newest commit
 * point's segments and replays only the logs after {@link #walCovered}.
 *
 * @param walCovered every write in log generations up to this one is in the named segments
 * @param nextSeq the next segment number to give out
 */
public record CommitPoint(long walCovered, long nextSeq, List<Entry> segments) {
    static final int KIND = 3;
    private static final Pattern NAME = Pattern.compile("commit-(\\d{8})\\.scp");

    /** One live segment and its deletes. */
    public record Entry(long seq, RoaringBitmap deleted) {}

    public CommitPoint {
        segments = List.copyOf(segments);
    }

    public static Path file(Path dir, long walCovered) { return dir.resolve(String.format("commit-%08d.scp", walCovered)); }

    /** The log generation a commit point's file name carries, or -1 when {@code name} is not one. */
    public static long generationOf(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** Writes this commit point durably; returns its file. */
    public Path write(Path dir) throws IOException {
        Path tmp = dir.resolve("commit.tmp");
        Files.deleteIfExists(tmp);
        try (SectionFile.Writer w = new SectionFile.Writer(tmp, KIND)) {
            List<Value> seqs = new ArrayList<>();
            for (Entry e : segments) {
                seqs.add(Value.of(e.seq()));
                e.deleted().runOptimize();
                ByteBuffer b = ByteBuffer.allocate(e.deleted().serializedSizeInBytes());
                e.deleted().serialize(b);
                b.flip();
                w.section("del." + e.seq(), b);
            }
            Value meta = new Value.ObjectValue(Map.of("wal_covered", Value.of(walCovered), "next_seq", Value.of(nextSeq),
                    "segments", new Value.ArrayValue(seqs)));
            w.bytes("meta", Json.write(meta).getBytes(StandardCharsets.UTF_8));
            w.finish();
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ)) {
            ch.force(true);
        }
        Path target = file(dir, walCovered);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(dir);
        return target;
    }

    /** The newest commit point in {@code dir}, or null when there is none; a damaged one is a {@link CorruptFileException}. */
    public static CommitPoint latest(Path dir) throws IOException {
        TreeMap<Long, Path> found = new TreeMap<>();
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                long g = generationOf(f.getFileName().toString());
                if (g >= 0) found.put(g, f);
            });
        }
        if (found.isEmpty()) return null;
        Path f = found.lastEntry().getValue();
        SectionFile.Reader r = SectionFile.open(f, KIND);
        try {
            Value.ObjectValue meta = (Value.ObjectValue) Json.parse(new String(r.require("meta").toArray(ValueLayout.JAVA_BYTE),
                    StandardCharsets.UTF_8));
            List<Entry> entries = new ArrayList<>();
            for (Value s : ((Value.ArrayValue) meta.get("segments")).elements()) {
                long seq = ((Value.IntValue) s).value();
                entries.add(new Entry(seq, new ImmutableRoaringBitmap(r.require("del." + seq).asByteBuffer()).toRoaringBitmap()));
            }
            return new CommitPoint(((Value.IntValue) meta.get("wal_covered")).value(), ((Value.IntValue) meta.get("next_seq")).value(), entries);
        } catch (ClassCastException | NullPointerException e) {
            throw new CorruptFileException(f, "its metadata is not what a commit point holds");
        }
    }

    /** Makes a rename or deletion in {@code dir} durable (where the file system allows syncing a directory). */
    public static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot sync a directory; the rename is still atomic there
        }
    }
}
