package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
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
     * @param bufferBytes JSON bytes of written but not yet sealed documents above which writers
     *     wait for a refresh (back-pressure: ingest never outruns sealing into the heap)
     * @param bufferWait how long a writer waits so before it is refused with 429
     */
    public record Options(Durability durability, long checkpointBytes, int mergeFactor, int maxFields, long bufferBytes, Duration bufferWait,
                          StorageObserver observer) {
        public static final Options DEFAULT = new Options(Durability.SYNC, 64L << 20, 4, FieldLimit.DEFAULT);

        /**
         * With the default write buffer: writers wait while the documents not yet sealed into a
         * segment hold more than a 32nd of the heap as JSON (a parsed document takes several times
         * its text), at most two minutes, then get 429.
         */
        public Options(Durability durability, long checkpointBytes, int mergeFactor, int maxFields) {
            this(durability, checkpointBytes, mergeFactor, maxFields, Math.max(4L << 20, Runtime.getRuntime().maxMemory() / 32),
                    Duration.ofMinutes(2), StorageObserver.NONE);
        }

        /** As above, with a write buffer of {@code bufferBytes} and writers waiting at most {@code bufferWait}. */
        public Options(Durability durability, long checkpointBytes, int mergeFactor, int maxFields, long bufferBytes, Duration bufferWait) {
            this(durability, checkpointBytes, mergeFactor, maxFields, bufferBytes, bufferWait, StorageObserver.NONE);
        }

        /** These options with {@code observer} told of syncs, refreshes and merges. */
        public Options observedBy(StorageObserver observer) {
            return new Options(durability, checkpointBytes, mergeFactor, maxFields, bufferBytes, bufferWait, observer);
        }
    }

    /**
     * One document to write: {@code id} null means generate one. {@code json} is the text it
     * arrived as (UTF-8, without {@code _id}), stored as its source; null means write
     * {@code source} as JSON, the one place a source is serialised anew.
     */
    public record Document(String id, Value.ObjectValue source, byte[] json) {
        public Document(String id, Value.ObjectValue source) { this(id, source, null); }
    }

    /** A parsed document with its text ({@link Json#parseDocument}); a non-string {@code _id} is refused. */
    public static Document document(Json.Document d) {
        if (d.id() != null && !(d.id() instanceof Value.StringValue)) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "'_id' must be a string, not " + d.id().kind().display());
        }
        return new Document(d.id() == null ? null : ((Value.StringValue) d.id()).value(), d.fields(),
                d.source().getBytes(StandardCharsets.UTF_8));
    }

    /** The outcome of one write. */
    public record Written(String id, boolean created) {}

    /** A document {@link #bulk} refused, by its position in the request. */
    public record Rejected(int index, StrataException error) {}

    /** What a bulk wrote, the first {@value #MAX_REJECTED_SHOWN} documents it refused, and how many it refused in all. */
    public record Bulk(List<Written> written, List<Rejected> rejected, int rejectedCount) {}

    /** How many refused documents a bulk describes one by one; the rest are only counted. */
    public static final int MAX_REJECTED_SHOWN = 100;

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final String name;
    private final CollectionFiles files;
    private final Mappings mappings;
    private final Options options;
    private final FieldLimit fields;
    private final DocumentTable table = new DocumentTable();
    private final Maintenance maintenance;

    private final LogWriter log;
    private final WritePath writes;

    private Collection(String name, Path dir, Mappings mappings, Options options, int maxFields) {
        this.name = name;
        this.files = new CollectionFiles(dir);
        this.mappings = mappings;
        this.options = options;
        this.fields = new FieldLimit(maxFields);
        this.log = new LogWriter(name, files, options.observer());
        this.writes = new WritePath(this, table, log);
        this.maintenance = new Maintenance(this, table, files, log, new MergePolicy(options.mergeFactor(), MergePolicy.DEFAULT_MAX_DOCS));
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
        Map<String, Value> meta = new LinkedHashMap<>();
        meta.put("name", new Value.StringValue(name));
        meta.put("mappings", mappings.toJson());
        meta.put("max_fields", Value.of(options.maxFields()));
        CollectionFiles.create(dir, new Value.ObjectValue(meta));
        return open(dir, options);
    }

    /**
     * Opens an existing collection: maps the segments of its newest commit point, replays the logs
     * after it, and seals what they held. A damaged file is a
     * {@link dev.strata.node.storage.files.CorruptFileException} naming it.
     */
    public static Collection open(Path dir, Options options) {
        Value.ObjectValue meta = new CollectionFiles(dir).meta();
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
            this.log.start(generation, log);
        }
    }

    /** Recovery applies each logged write in order. */
    void applyReplayed(WriteAheadLog.Entry e) { writes.applyReplayed(e); }

    public String name() { return name; }

    Durability durability() { return options.durability(); }

    Options options() { return options; }

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
    public Bulk bulk(List<Document> docs) { return writes.bulk(docs); }

    /** Deletes a document; false if there was none with that id. */
    public boolean delete(String id) { return writes.delete(id); }

    /** Deletes documents as one log append (one fsync in SYNC mode); returns how many existed. */
    public int deleteAll(List<String> ids) { return writes.deleteAll(ids); }

    /** The current version of a document, visible before any refresh; null if none. */
    public Value.ObjectValue get(String id) {
        DocumentTable.Found f = find(id);
        if (f == null) return null;
        return f.pending() != null ? f.pending().doc() : f.segment().source(f.doc());
    }

    /** The current version's stored source, the UTF-8 JSON it arrived as (without {@code _id}); null if none. */
    public byte[] getJson(String id) {
        DocumentTable.Found f = find(id);
        if (f == null) return null;
        return f.pending() != null ? f.pending().json() : f.segment().sourceJson(f.doc()); // outside the lock; the mapping lives while referenced
    }

    private DocumentTable.Found find(String id) {
        synchronized (table) {
            return table.find(id);
        }
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
        synchronized (table) { return log.size(); }
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
            if (log.isClosed()) return false;
            long size = log.size();
            boolean due = log.fault() != null // a successful commit is the way back from read-only
                    || size >= Math.max(1, minLogBytes) || ((size > 0 || table.changedSinceCommit())
                    && System.nanoTime() - maintenance.lastCommitNanos() >= maxAge.toNanos());
            if (!due) return false;
        }
        return commit();
    }

    /** Why the collection refuses writes (its files cannot be written), or null when it accepts them. */
    public String readOnlyReason() {
        LogWriter.Fault f = log.fault();
        return f == null ? null : f.reason() + " (since " + f.since() + ")";
    }

    /** Syncs the log now (the INTERVAL mode's timer). */
    public void syncLog() {
        WriteAheadLog current;
        synchronized (table) {
            if (log.isClosed()) return;
            current = log.current();
        }
        current.syncAll();
    }

    /** Commits what the log holds (so the next start replays nothing), then closes the log. Writes after this fail. */
    @Override
    public void close() {
        synchronized (table) {
            if (log.isClosed()) return;
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
        maintenance.mergeLock().lock();
        maintenance.lock().lock();
        try {
            synchronized (table) {
                log.close();
            }
        } finally {
            maintenance.lock().unlock();
            maintenance.mergeLock().unlock();
        }
    }

    /** Removes the collection's files; call after {@link #close} or {@link #discard}. */
    public void deleteFiles() { deleteFiles(files.dir()); }

    /** Removes a collection directory and everything in it. */
    public static void deleteFiles(Path dir) { CollectionFiles.deleteAll(dir); }
}
