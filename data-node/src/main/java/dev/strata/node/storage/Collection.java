package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.storage.files.CommitPoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/**
 * One collection: its write-ahead log, the recent writes not yet sealed, and the sealed segments
 * that queries read, kept in files (see {@link dev.strata.node.storage.files}).
 *
 * <p><b>Visibility.</b> A write is acknowledged once logged (and, in {@link Durability#SYNC} mode,
 * on disk). It is visible to {@link #get} at once and to queries after the next {@link #refresh}
 * (called on an interval by the node, or asked for). Deletes follow the same rule.
 *
 * <p><b>Durability.</b> A refresh writes the buffered writes as a new segment's files and maps
 * them; a {@link #commit} syncs the segments and writes a commit point naming the live segments and
 * their deletes, after which the logs it covers are removed. A start maps the segments of the
 * newest commit point and replays only the logs after it ({@link Recovery}).
 *
 * <p><b>Threads.</b> Writers serialise on one short lock, the {@link DocumentTable}'s monitor (log
 * append, a lookup of the id's earlier version, a map update); the {@code fsync} happens outside it
 * and is shared (group commit). Refresh, merge and commit take turns ({@link Maintenance}) and do
 * their heavy work outside the write lock. Queries read the volatile {@link Snapshot} and take no
 * lock at all.
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
     * @param checkpointBytes log bytes after which a commit is due (what a start after a crash replays at most)
     * @param maxFields the distinct field paths a collection created with these options accepts
     *     (recorded in its collection.json; an older collection without it gets this one)
     */
    public record Options(Durability durability, long checkpointBytes, int mergeFactor, int maxFields) {
        public static final Options DEFAULT = new Options(Durability.SYNC, 64L << 20, 4, FieldLimit.DEFAULT);
    }

    /** One document to write: {@code id} null means generate one. */
    public record Document(String id, Value.ObjectValue source) {}

    /** The outcome of one write. */
    public record Written(String id, boolean created) {}

    /** A document {@link #bulk} refused, by its position in the request. */
    public record Rejected(int index, StrataException error) {}

    /** What a bulk wrote, the first {@value #MAX_REJECTED_SHOWN} documents it refused, and how many it refused in all. */
    public record Bulk(List<Written> written, List<Rejected> rejected, int rejectedCount) {}

    /** How many refused documents a bulk describes one by one; the rest are only counted. */
    public static final int MAX_REJECTED_SHOWN = 100;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final int MAX_ID_BYTES = 512;

    private final String name;
    private final CollectionFiles files;
    private final Mappings mappings;
    private final Options options;
    private final FieldLimit fields;
    private final String idPrefix;
    private final DocumentTable table = new DocumentTable();
    private final Maintenance maintenance;

    // Guarded by table:
    private WriteAheadLog wal;
    private long walGeneration;
    private long idCounter;
    private boolean closed;

    private Collection(String name, Path dir, Mappings mappings, Options options, int maxFields) {
        this.name = name;
        this.files = new CollectionFiles(dir);
        this.mappings = mappings;
        this.options = options;
        this.fields = new FieldLimit(maxFields);
        this.maintenance = new Maintenance(this, table, files, new MergePolicy(options.mergeFactor(), MergePolicy.DEFAULT_MAX_DOCS));
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
            CollectionFiles.writeDurably(tmp.resolve("collection.json"), Json.write(new Value.ObjectValue(meta)).getBytes(StandardCharsets.UTF_8));
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            CommitPoint.syncDirectory(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create collection " + name + " in " + dir, e);
        }
        return open(dir, options);
    }

    /**
     * Opens an existing collection: maps the segments of its newest commit point, replays the logs
     * after it, and seals what they held. A damaged file is a
     * {@link dev.strata.node.storage.files.CorruptFileException} naming it.
     */
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
        new Recovery(c, c.table, c.files).run();
        c.refresh();
        return c;
    }

    /** Recovery hands over the log it replayed last, which takes new writes. */
    void startLog(long generation, WriteAheadLog log) {
        synchronized (table) {
            walGeneration = generation;
            wal = log;
        }
    }

    /** Recovery applies each logged write in order. */
    void applyReplayed(WriteAheadLog.Entry e) {
        synchronized (table) {
            if (e.op() == WriteAheadLog.PUT) {
                Value.ObjectValue doc = (Value.ObjectValue) Json.parse(e.json());
                fields.record(doc);
                table.put(e.id(), new DocumentTable.Pending(doc, e.json().getBytes(StandardCharsets.UTF_8)));
            } else {
                table.delete(e.id());
            }
        }
    }

    public String name() { return name; }

    public Mappings mappings() { return mappings; }

    /** The collection's distinct field paths and their limit. */
    public FieldLimit fields() { return fields; }

    /** The latest published snapshot; what a query starting now reads. */
    public Snapshot snapshot() { return table.snapshot(); }

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

    /**
     * Validates each document once (id, mappings), then writes the valid ones as one log append
     * and (in SYNC mode) one fsync. Invalid ones are reported by position; the rest are written.
     */
    public Bulk bulk(List<Document> docs) {
        List<WriteAheadLog.Entry> entries = new ArrayList<>(docs.size());
        List<DocumentTable.Pending> sources = new ArrayList<>(docs.size());
        List<Rejected> rejected = new ArrayList<>();
        int rejectedCount = 0;
        long firstGenerated;
        synchronized (table) {
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
            String json = Json.write(d.source());
            entries.add(new WriteAheadLog.Entry(WriteAheadLog.PUT, id, json));
            sources.add(new DocumentTable.Pending(d.source(), json.getBytes(StandardCharsets.UTF_8)));
        }
        if (entries.isEmpty()) return new Bulk(List.of(), rejected, rejectedCount);
        ByteBuffer records = WriteAheadLog.encode(entries);
        List<Written> out = new ArrayList<>(entries.size());
        long position;
        WriteAheadLog log;
        synchronized (table) {
            ensureOpen();
            log = wal;
            position = wal.append(records);
            for (int i = 0; i < entries.size(); i++) {
                String id = entries.get(i).id();
                out.add(new Written(id, table.put(id, sources.get(i))));
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
        synchronized (table) {
            ensureOpen();
            if (!table.contains(id)) return false;
            log = wal;
            position = wal.append(record);
            table.delete(id);
        }
        if (options.durability() == Durability.SYNC) log.syncTo(position);
        return true;
    }

    private void ensureOpen() {
        if (closed) throw new StrataException(ErrorCode.NOT_FOUND, "collection '" + name + "' is closed");
    }

    /** The current version of a document, visible before any refresh; null if none. */
    public Value.ObjectValue get(String id) {
        DocumentTable.Found f;
        synchronized (table) {
            f = table.find(id);
        }
        if (f == null) return null;
        return f.pending() != null ? f.pending() : f.segment().source(f.doc()); // read outside the lock; the mapping lives while referenced
    }

    /** Documents written but not yet visible to queries. */
    public int pendingCount() {
        synchronized (table) { return table.pendingCount(); }
    }

    /**
     * Makes every write acknowledged so far visible to queries: seals the buffer into a segment
     * (written to its files and mapped) and publishes pending deletes. Returns false if there was
     * nothing to do.
     */
    public boolean refresh() { return maintenance.refresh(); }

    /** Merges small segments when {@code mergeFactor} of them share a size tier ({@link MergePolicy}). Returns true if it merged. */
    public boolean maybeMerge() { return maintenance.maybeMerge(); }

    /** Log bytes written since the last commit. */
    public long logBytes() {
        synchronized (table) { return wal.size(); }
    }

    /**
     * Makes everything acknowledged so far durable in segment files and a commit point, and removes
     * the logs it covers (see {@link Maintenance#commit}). Writers continue meanwhile into a new log
     * generation. Returns false if there was nothing to commit.
     */
    public boolean commit() { return maintenance.commit(); }

    /**
     * Commits when it is due: the log holds {@code minLogBytes} or more, or something changed and
     * the last commit is {@code maxAge} old. Returns true if it committed.
     */
    public boolean commitIfDue(long minLogBytes, Duration maxAge) {
        synchronized (table) {
            if (closed) return false;
            long size = wal.size();
            boolean due = size >= Math.max(1, minLogBytes) || ((size > 0 || table.changedSinceCommit())
                    && System.nanoTime() - maintenance.lastCommitNanos() >= maxAge.toNanos());
            if (!due) return false;
        }
        return commit();
    }

    /**
     * The commit's first step, under the write lock: when there is anything to commit, starts a new
     * log generation and returns the last one the commit covers; otherwise null. The old log is
     * synced and closed outside the lock (a writer still syncing to it finds its records synced).
     */
    Long rollLog(DocumentTable t) {
        WriteAheadLog previous;
        long covered;
        synchronized (t) {
            ensureOpen();
            if (wal.size() == 0) {
                return t.changedSinceCommit() ? walGeneration - 1 : null; // the current log is empty: nothing of it to cover
            }
            previous = wal;
            covered = walGeneration;
            walGeneration++;
            wal = WriteAheadLog.open(files.wal(walGeneration), e -> { });
        }
        CommitPoint.syncDirectory(files.dir());
        previous.close();
        return covered;
    }

    /** Syncs the log now (the INTERVAL mode's timer). */
    public void syncLog() {
        WriteAheadLog log;
        synchronized (table) {
            if (closed) return;
            log = wal;
        }
        log.syncAll();
    }

    /** Commits what the log holds (so the next start replays nothing), then closes the log. Writes after this fail. */
    @Override
    public void close() {
        synchronized (table) {
            if (closed) return;
        }
        try {
            commit();
        } catch (RuntimeException e) {
            // the log still holds every acknowledged write; the next start replays it
            LoggerFactory.getLogger(Collection.class).warn("collection {}: the commit at close failed; the next start replays the log", name, e);
        }
        discard();
    }

    /** Closes the log without a commit (the collection is about to be deleted, or a commit failed). */
    public void discard() {
        maintenance.lock().lock();
        try {
            synchronized (table) {
                if (closed) return;
                closed = true;
                wal.close();
            }
        } finally {
            maintenance.lock().unlock();
        }
    }

    /** Removes the collection's files; call after {@link #close} or {@link #discard}. */
    public void deleteFiles() { deleteFiles(files.dir()); }

    /** Removes a collection directory and everything in it. */
    public static void deleteFiles(Path dir) {
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
