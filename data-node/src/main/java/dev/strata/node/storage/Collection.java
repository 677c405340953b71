package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.segment.Schema;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.index.SegmentIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.roaringbitmap.RoaringBitmap;

/**
 * One collection: its write-ahead log, the mutable buffer of recent writes, and the sealed
 * segments that queries read.
 *
 * <p><b>Visibility.</b> A write is acknowledged once logged (and, in {@link Durability#SYNC} mode,
 * on disk). It is visible to {@link #get} at once and to queries after the next {@link #refresh}
 * (called on an interval by the node, or asked for). Deletes follow the same rule.
 *
 * <p><b>Threads.</b> Writers serialise on one short lock (log append plus a map update); the
 * {@code fsync} happens outside it and is shared (group commit). Refresh, merge and checkpoint
 * take turns on a maintenance lock and build segments outside the write lock, so writers are
 * not blocked while a segment is sealed. Queries read the volatile {@link Snapshot} and take no
 * lock at all.
 *
 * <p><b>Files.</b> {@code collection.json} (name, mappings), {@code wal-N.log} (writes since
 * generation N began) and {@code checkpoint-N.log} (every live document when generation N ended,
 * in the log's own record format). Start-up replays the newest checkpoint and then every later
 * log in order; replaying a log that a checkpoint already covers is harmless, since each log is
 * replayed whole and in order.
 */
public final class Collection implements AutoCloseable {
    /** When an acknowledged write is on disk. */
    public enum Durability {
        /** fsync before the reply (group commit shares it between concurrent writers). */
        SYNC,
        /** fsync on the node's sync interval; a crash may lose the writes of the last interval. */
        INTERVAL
    }

    /**
     * Tuning that has sane defaults.
     *
     * @param maxFields the distinct field paths a collection created with these options accepts
     *     (recorded in its collection.json; an older collection without it gets this one)
     */
    public record Options(Durability durability, long checkpointBytes, int mergeFactor, int maxFields) {
        public static final Options DEFAULT = new Options(Durability.SYNC, 256L << 20, 4, FieldLimit.DEFAULT);
    }

    /** One document to write: {@code id} null means generate one. */
    public record Document(String id, Value.ObjectValue source) {}

    /** The outcome of one write. */
    public record Written(String id, boolean created) {}

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern WAL_FILE = Pattern.compile("wal-(\\d{8})\\.log");
    private static final Pattern CHECKPOINT_FILE = Pattern.compile("checkpoint-(\\d{8})\\.log");
    private static final int MAX_ID_BYTES = 512;

    private final String name;
    private final Path dir;
    private final Mappings mappings;
    private final Options options;
    private final FieldLimit fields;
    private final String idPrefix;

    private final Object lock = new Object();
    // Guarded by lock:
    private WriteAheadLog wal;
    private long walGeneration;
    private LinkedHashMap<String, Value.ObjectValue> buffer = new LinkedHashMap<>();
    private Frozen frozen;
    private final HashMap<String, Long> locations = new HashMap<>();
    private final HashMap<Long, RoaringBitmap> deletes = new HashMap<>();
    private final Set<Long> dirtyDeletes = new HashSet<>();
    private long nextSeq = 1;
    private long idCounter;
    private boolean closed;

    private final ReentrantLock maintenance = new ReentrantLock();
    private volatile Snapshot snapshot = new Snapshot(0, List.of(), Schema.EMPTY);
    private Map<Long, SegmentEntry> bySeq = Map.of();

    /** A buffer being sealed into segment {@code seq}: readable by id until published. */
    private record Frozen(long seq, List<String> ids, List<Value.ObjectValue> docs) {}

    private Collection(String name, Path dir, Mappings mappings, Options options, int maxFields) {
        this.name = name;
        this.dir = dir;
        this.mappings = mappings;
        this.options = options;
        this.fields = new FieldLimit(maxFields);
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        StringBuilder p = new StringBuilder();
        for (byte b : r) p.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        this.idPrefix = p.append('-').toString();
    }

    /** Checks a collection name: lower-case letters, digits, '_' and '-', at most 64. */
    public static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "invalid collection name '" + name
                    + "': use 1 to 64 lower-case letters, digits, '_' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** Creates a new, empty collection in {@code dir} (which must not exist yet). */
    public static Collection create(Path dir, String name, Mappings mappings, Options options) {
        checkName(name);
        try {
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), "." + name + "-");
            Map<String, Value> meta = new LinkedHashMap<>();
            meta.put("name", new Value.StringValue(name));
            meta.put("mappings", mappings.toJson());
            meta.put("max_fields", Value.of(options.maxFields()));
            writeDurably(tmp.resolve("collection.json"), Json.write(new Value.ObjectValue(meta)).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create collection " + name + " in " + dir, e);
        }
        return open(dir, options);
    }

    /** Opens an existing collection: replays its checkpoint and logs, then seals what they held. */
    public static Collection open(Path dir, Options options) {
        Value.ObjectValue meta;
        try {
            meta = (Value.ObjectValue) Json.parse(Files.readString(dir.resolve("collection.json")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("collection.json"), e);
        }
        String name = ((Value.StringValue) meta.get("name")).value();
        Mappings mappings = Mappings.parse((Value.ObjectValue) meta.get("mappings"));
        int maxFields = meta.get("max_fields") instanceof Value.IntValue m ? (int) m.value() : options.maxFields();
        Collection c = new Collection(name, dir, mappings, options, maxFields);
        c.recover();
        c.refresh();
        return c;
    }

    private void recover() {
        TreeMap<Long, Path> logs = new TreeMap<>();
        TreeMap<Long, Path> checkpoints = new TreeMap<>();
        try (var files = Files.list(dir)) {
            files.forEach(f -> {
                Matcher w = WAL_FILE.matcher(f.getFileName().toString());
                Matcher k = CHECKPOINT_FILE.matcher(f.getFileName().toString());
                if (w.matches()) logs.put(Long.parseLong(w.group(1)), f);
                if (k.matches()) checkpoints.put(Long.parseLong(k.group(1)), f);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        long covered = 0;
        if (!checkpoints.isEmpty()) {
            covered = checkpoints.lastKey();
            WriteAheadLog.replay(checkpoints.lastEntry().getValue(), this::applyReplayed);
        }
        synchronized (lock) {
            for (var e : logs.entrySet()) {
                if (e.getKey() <= covered) continue;
                if (e.getKey().equals(logs.lastKey())) break;
                WriteAheadLog.replay(e.getValue(), this::applyReplayed);
            }
            walGeneration = logs.isEmpty() ? covered + 1 : Math.max(logs.lastKey(), covered + 1);
            wal = WriteAheadLog.open(walPath(walGeneration), this::applyReplayed);
        }
        if (covered > 0) deleteCovered(covered);
    }

    private void applyReplayed(WriteAheadLog.Entry e) {
        synchronized (lock) {
            if (e.op() == WriteAheadLog.PUT) {
                Value.ObjectValue doc = (Value.ObjectValue) Json.parse(e.json());
                fields.record(doc);
                applyPut(e.id(), doc);
            } else {
                applyDelete(e.id());
            }
        }
    }

    /** Removes the logs a checkpoint of {@code generation} covers and older checkpoints. */
    private void deleteCovered(long generation) {
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Matcher w = WAL_FILE.matcher(f.getFileName().toString());
                Matcher k = CHECKPOINT_FILE.matcher(f.getFileName().toString());
                if ((w.matches() && Long.parseLong(w.group(1)) <= generation)
                        || (k.matches() && Long.parseLong(k.group(1)) < generation)) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove old logs in " + dir, e);
        }
    }

    private Path walPath(long generation) { return dir.resolve(String.format("wal-%08d.log", generation)); }

    public String name() { return name; }

    public Mappings mappings() { return mappings; }

    /** The collection's distinct field paths and their limit. */
    public FieldLimit fields() { return fields; }

    /** The latest published snapshot; what a query starting now reads. */
    public Snapshot snapshot() { return snapshot; }

    /** Takes {@code _id} out of a document: a string id, or null when absent (one is generated). */
    public static Document split(Value.ObjectValue doc) {
        Value id = doc.get("_id");
        if (id == null) return new Document(null, doc);
        if (!(id instanceof Value.StringValue s)) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "'_id' must be a string, not " + id.kind().display());
        }
        Map<String, Value> rest = new LinkedHashMap<>(doc.fields());
        rest.remove("_id");
        return new Document(s.value(), new Value.ObjectValue(rest));
    }

    private static void checkId(String id) {
        if (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "a document id must be 1 to " + MAX_ID_BYTES + " bytes");
        }
    }

    /** Writes one document; returns once it is acknowledged under the collection's durability. */
    public Written put(String id, Value.ObjectValue source) {
        return putAll(List.of(new Document(id, source))).get(0);
    }

    /** Writes documents all or nothing: the first invalid one is thrown and none is written. */
    public List<Written> putAll(List<Document> docs) {
        Bulk b = bulk(docs);
        if (b.rejectedCount() > 0) throw b.rejected().get(0).error();
        return b.written();
    }

    /** A document {@link #bulk} refused, by its position in the request. */
    public record Rejected(int index, StrataException error) {}

    /** How many refused documents a bulk describes one by one; the rest are only counted. */
    public static final int MAX_REJECTED_SHOWN = 100;

    /** What a bulk wrote, the first {@value #MAX_REJECTED_SHOWN} documents it refused, and how many it refused in all. */
    public record Bulk(List<Written> written, List<Rejected> rejected, int rejectedCount) {}

    /**
     * Validates each document once (id, mappings), then writes the valid ones as one log append
     * and (in SYNC mode) one fsync. Invalid ones are reported by position; the rest are written.
     */
    public Bulk bulk(List<Document> docs) {
        List<WriteAheadLog.Entry> entries = new ArrayList<>(docs.size());
        List<Value.ObjectValue> sources = new ArrayList<>(docs.size());
        List<Rejected> rejected = new ArrayList<>();
        int rejectedCount = 0;
        long firstGenerated;
        synchronized (lock) {
            firstGenerated = idCounter;
            for (Document d : docs) if (d.id() == null) idCounter++;
        }
        for (int i = 0; i < docs.size(); i++) {
            Document d = docs.get(i);
            String id = d.id() != null ? d.id() : idPrefix + Long.toString(firstGenerated++, 36);
            try {
                checkId(id);
                mappings.validate(id, d.source());
                fields.admit(name, id, d.source());
            } catch (StrataException e) {
                if (rejectedCount++ < MAX_REJECTED_SHOWN) rejected.add(new Rejected(i, e));
                continue;
            }
            entries.add(new WriteAheadLog.Entry(WriteAheadLog.PUT, id, Json.write(d.source())));
            sources.add(d.source());
        }
        if (entries.isEmpty()) return new Bulk(List.of(), rejected, rejectedCount);
        ByteBuffer records = WriteAheadLog.encode(entries);
        List<Written> out = new ArrayList<>(entries.size());
        long position;
        WriteAheadLog log;
        synchronized (lock) {
            ensureOpen();
            log = wal;
            position = wal.append(records);
            for (int i = 0; i < entries.size(); i++) {
                String id = entries.get(i).id();
                out.add(new Written(id, applyPut(id, sources.get(i))));
            }
        }
        if (options.durability() == Durability.SYNC) log.syncTo(position);
        return new Bulk(out, rejected, rejectedCount);
    }

    /** Deletes a document; false if there was none with that id. */
    public boolean delete(String id) {
        ByteBuffer record = WriteAheadLog.encode(List.of(new WriteAheadLog.Entry(WriteAheadLog.DELETE, id, null)));
        long position;
        WriteAheadLog log;
        synchronized (lock) {
            ensureOpen();
            if (!buffer.containsKey(id) && !locations.containsKey(id)) return false;
            log = wal;
            position = wal.append(record);
            applyDelete(id);
        }
        if (options.durability() == Durability.SYNC) log.syncTo(position);
        return true;
    }

    private void ensureOpen() {
        if (closed) throw new StrataException(ErrorCode.NOT_FOUND, "collection '" + name + "' is closed");
    }

    /** Returns true if a document was replaced. Caller holds the lock. */
    private boolean applyPut(String id, Value.ObjectValue source) {
        boolean existed = buffer.put(id, source) != null;
        Long loc = locations.remove(id);
        if (loc != null) {
            markDeleted(loc);
            existed = true;
        }
        return !existed;
    }

    private void applyDelete(String id) {
        if (buffer.remove(id) != null) return;
        Long loc = locations.remove(id);
        if (loc != null) markDeleted(loc);
    }

    private void markDeleted(long loc) {
        long seq = loc >>> 32;
        deletes.get(seq).add((int) loc);
        dirtyDeletes.add(seq);
    }

    /** The current version of a document, visible before any refresh; null if none. */
    public Value.ObjectValue get(String id) {
        synchronized (lock) {
            Value.ObjectValue d = buffer.get(id);
            if (d != null) return d;
            Long loc = locations.get(id);
            return loc == null ? null : sourceAt(loc);
        }
    }

    /** Documents written but not yet visible to queries. */
    public int pendingCount() {
        synchronized (lock) { return buffer.size(); }
    }

    /**
     * Makes every write acknowledged so far visible to queries: seals the buffer into a segment
     * and publishes pending deletes. Returns false if there was nothing to do.
     */
    public boolean refresh() {
        maintenance.lock();
        try {
            Frozen f;
            boolean retry;
            synchronized (lock) {
                // A seal that failed before (its documents readable by id, not yet by queries) is retried first.
                f = frozen;
                retry = f != null;
                if (!retry && buffer.isEmpty() && dirtyDeletes.isEmpty()) return false;
                if (!retry && !buffer.isEmpty()) {
                    long seq = nextSeq++;
                    List<String> ids = new ArrayList<>(buffer.keySet());
                    List<Value.ObjectValue> docs = new ArrayList<>(buffer.values());
                    for (int i = 0; i < ids.size(); i++) locations.put(ids.get(i), (seq << 32) | i);
                    deletes.put(seq, new RoaringBitmap());
                    f = new Frozen(seq, ids, docs);
                    frozen = f;
                    buffer = new LinkedHashMap<>();
                }
            }
            SegmentEntry added = null;
            if (f != null) {
                SegmentBuilder b = mappings.applyTo(new SegmentBuilder());
                for (int i = 0; i < f.ids().size(); i++) b.add(f.ids().get(i), f.docs().get(i));
                Segment s = b.build();
                added = new SegmentEntry(f.seq(), s, SegmentIndex.build(s), new RoaringBitmap());
            }
            synchronized (lock) {
                publish(added == null ? List.of() : List.of(added), Set.of());
                frozen = null;
            }
            if (retry) refresh(); // and now what was written meanwhile
            return true;
        } finally {
            maintenance.unlock();
        }
    }

    /** Caller holds the lock. Replaces {@code removed} by {@code added} and applies pending deletes. */
    private void publish(List<SegmentEntry> added, Set<Long> removed) {
        Snapshot old = snapshot;
        List<SegmentEntry> next = new ArrayList<>();
        boolean placed = false;
        for (SegmentEntry e : old.segments()) {
            if (removed.contains(e.seq())) {
                if (!placed) {
                    next.addAll(added);
                    placed = true;
                }
                continue;
            }
            next.add(dirtyDeletes.contains(e.seq()) ? new SegmentEntry(e.seq(), e.segment(), e.index(), deletes.get(e.seq()).clone()) : e);
        }
        if (!placed) {
            for (SegmentEntry a : added) {
                RoaringBitmap d = deletes.get(a.seq());
                next.add(d.isEmpty() ? a : new SegmentEntry(a.seq(), a.segment(), a.index(), d.clone()));
            }
        }
        dirtyDeletes.clear();
        Schema schema = Schema.union(next.stream().map(e -> e.segment().schema()).toList());
        if (schema.equals(old.schema())) schema = old.schema();
        Map<Long, SegmentEntry> index = new HashMap<>();
        for (SegmentEntry e : next) index.put(e.seq(), e);
        bySeq = index;
        snapshot = new Snapshot(old.generation() + 1, next, schema);
    }

    /**
     * Merges small segments when {@code mergeFactor} of them share a size tier (sizes within a
     * factor of 4). Deleted documents are dropped. Returns true if it merged.
     */
    public boolean maybeMerge() {
        maintenance.lock();
        try {
            List<SegmentEntry> pick = pickMerge(snapshot.segments());
            if (pick.isEmpty()) return false;
            Map<Long, RoaringBitmap> deletedAtPick = new HashMap<>();
            synchronized (lock) {
                for (SegmentEntry e : pick) deletedAtPick.put(e.seq(), deletes.get(e.seq()).clone());
            }
            SegmentBuilder b = mappings.applyTo(new SegmentBuilder());
            List<Long> origin = new ArrayList<>();
            for (SegmentEntry e : pick) {
                RoaringBitmap gone = deletedAtPick.get(e.seq());
                Segment s = e.segment();
                for (int d = 0; d < s.docCount(); d++) {
                    if (gone.contains(d)) continue;
                    b.add(s.id(d), s.source(d));
                    origin.add((e.seq() << 32) | d);
                }
            }
            Segment merged = b.build();
            SegmentIndex index = SegmentIndex.build(merged);
            synchronized (lock) {
                long seq = nextSeq++;
                RoaringBitmap deleted = new RoaringBitmap();
                for (int i = 0; i < origin.size(); i++) {
                    long o = origin.get(i);
                    if (deletes.get(o >>> 32).contains((int) o)) deleted.add(i);
                    else locations.put(merged.id(i), (seq << 32) | i);
                }
                deletes.put(seq, deleted);
                Set<Long> removed = new HashSet<>();
                for (SegmentEntry e : pick) {
                    removed.add(e.seq());
                    deletes.remove(e.seq());
                    dirtyDeletes.remove(e.seq());
                }
                publish(List.of(new SegmentEntry(seq, merged, index, deleted.clone())), removed);
            }
            return true;
        } finally {
            maintenance.unlock();
        }
    }

    private List<SegmentEntry> pickMerge(List<SegmentEntry> segments) {
        Map<Integer, List<SegmentEntry>> tiers = new TreeMap<>();
        for (SegmentEntry e : segments) {
            int live = Math.max(1, e.liveCount());
            int tier = (31 - Integer.numberOfLeadingZeros(live)) / 2;
            tiers.computeIfAbsent(tier, t -> new ArrayList<>()).add(e);
        }
        for (List<SegmentEntry> t : tiers.values()) if (t.size() >= options.mergeFactor()) return t;
        return List.of();
    }

    /** Log bytes written since the last checkpoint. */
    public long logBytes() {
        synchronized (lock) { return wal.size(); }
    }

    /**
     * Writes every live document to a checkpoint and drops the logs it covers, so the log does
     * not grow forever and restart is one sequential read. Writers continue meanwhile into a new
     * log generation. Returns false if the log was below {@code minBytes}.
     */
    public boolean checkpoint(long minBytes) {
        maintenance.lock();
        try {
            long generation;
            List<String> ids = new ArrayList<>();
            List<Value.ObjectValue> docs = new ArrayList<>();
            WriteAheadLog previous;
            synchronized (lock) {
                ensureOpen();
                if (wal.size() < Math.max(1, minBytes)) return false;
                generation = walGeneration;
                previous = wal;
                walGeneration++;
                wal = WriteAheadLog.open(walPath(walGeneration), e -> { });
                syncDirectory(dir);
                for (var e : locations.entrySet()) {
                    ids.add(e.getKey());
                    docs.add(sourceAt(e.getValue()));
                }
                buffer.forEach((id, d) -> {
                    ids.add(id);
                    docs.add(d);
                });
            }
            previous.close();
            Path tmp = dir.resolve("checkpoint.tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                int chunk = 4096;
                for (int from = 0; from < ids.size(); from += chunk) {
                    List<WriteAheadLog.Entry> entries = new ArrayList<>(chunk);
                    for (int i = from; i < Math.min(ids.size(), from + chunk); i++) {
                        entries.add(new WriteAheadLog.Entry(WriteAheadLog.PUT, ids.get(i), Json.write(docs.get(i))));
                    }
                    ByteBuffer b = WriteAheadLog.encode(entries);
                    while (b.hasRemaining()) ch.write(b);
                }
                ch.force(true);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write a checkpoint in " + dir, e);
            }
            try {
                Files.move(tmp, dir.resolve(String.format("checkpoint-%08d.log", generation)), StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot install a checkpoint in " + dir, e);
            }
            deleteCovered(generation);
            return true;
        } finally {
            maintenance.unlock();
        }
    }

    /** Caller holds the lock. */
    private Value.ObjectValue sourceAt(long loc) {
        long seq = loc >>> 32;
        int ord = (int) loc;
        if (frozen != null && frozen.seq() == seq) return frozen.docs().get(ord);
        return bySeq.get(seq).segment().source(ord);
    }

    /** Syncs the log now (the INTERVAL mode's timer). */
    public void syncLog() {
        WriteAheadLog log;
        synchronized (lock) {
            if (closed) return;
            log = wal;
        }
        log.syncAll();
    }

    /** Flushes and closes the log. Writes after this fail. */
    @Override
    public void close() {
        maintenance.lock();
        try {
            synchronized (lock) {
                if (closed) return;
                closed = true;
                wal.close();
            }
        } finally {
            maintenance.unlock();
        }
    }

    /** Removes the collection's files; call after {@link #close}. */
    public void deleteFiles() {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
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

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems cannot sync a directory; the rename is still atomic there.
        }
    }
}
