package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * A collection's writes: each document is checked (id, mappings, field limit) outside any lock,
 * then the valid ones are appended to the log as one record batch and put into the
 * {@link DocumentTable} under its monitor, and synced outside it (group commit). Replay at start
 * applies logged writes the same way, without logging them again.
 */
final class WritePath {
    private static final int MAX_ID_BYTES = 512;

    private final Collection collection;
    private final DocumentTable table;
    private final LogWriter log;
    private final String idPrefix;
    private long idCounter; // guarded by table

    WritePath(Collection collection, DocumentTable table, LogWriter log) {
        this.collection = collection;
        this.table = table;
        this.log = log;
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        StringBuilder p = new StringBuilder();
        for (byte b : r) p.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
        this.idPrefix = p.append('-').toString();
    }

    static void checkId(String id) {
        if (id.isEmpty() || id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "a document id must be 1 to " + MAX_ID_BYTES + " bytes");
        }
    }

    Collection.Bulk bulk(List<Collection.Document> docs) {
        log.checkWritable();
        List<WriteAheadLog.Entry> entries = new ArrayList<>(docs.size());
        List<DocumentTable.Pending> sources = new ArrayList<>(docs.size());
        List<Collection.Rejected> rejected = new ArrayList<>();
        int rejectedCount = 0;
        long firstGenerated;
        synchronized (table) {
            firstGenerated = idCounter;
            for (Collection.Document d : docs) if (d.id() == null) idCounter++;
        }
        for (int i = 0; i < docs.size(); i++) {
            Collection.Document d = docs.get(i);
            String id = d.id() != null ? d.id() : idPrefix + Long.toString(firstGenerated++, 36);
            try {
                checkId(id);
                collection.mappings().validate(id, d.source());
                collection.fields().admit(collection.name(), id, d.source());
            } catch (StrataException e) {
                if (rejectedCount++ < Collection.MAX_REJECTED_SHOWN) rejected.add(new Collection.Rejected(i, e));
                continue;
            }
            byte[] json = d.json() != null ? d.json() : Json.write(d.source()).getBytes(StandardCharsets.UTF_8);
            entries.add(new WriteAheadLog.Entry(WriteAheadLog.PUT, id, json));
            sources.add(new DocumentTable.Pending(json));
        }
        if (entries.isEmpty()) return new Collection.Bulk(List.of(), rejected, rejectedCount);
        ByteBuffer records = WriteAheadLog.encode(entries);
        List<Collection.Written> out = new ArrayList<>(entries.size());
        LogWriter.Appended appended;
        synchronized (table) {
            awaitRoom();
            appended = log.append(records);
            for (int i = 0; i < entries.size(); i++) {
                String id = entries.get(i).id();
                out.add(new Collection.Written(id, table.put(id, sources.get(i))));
            }
        }
        if (collection.durability() == Collection.Durability.SYNC) log.sync(appended);
        return new Collection.Bulk(out, rejected, rejectedCount);
    }

    /**
     * Back-pressure (the caller holds the table's monitor): while the documents not yet sealed
     * hold more than the buffer limit, waits for a refresh to seal them; refused with 429 after the
     * configured wait. Ingest thus runs at the speed segments are built, and the heap stays bounded.
     */
    private void awaitRoom() {
        Collection.Options o = collection.options();
        if (table.pendingBytes() <= o.bufferBytes()) return;
        long deadline = System.nanoTime() + o.bufferWait().toNanos();
        while (table.pendingBytes() > o.bufferBytes()) {
            log.checkOpen();
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new StrataException(ErrorCode.RESOURCE_EXHAUSTED, "collection '" + collection.name() + "' has "
                        + (table.pendingBytes() >> 20) + " MiB of written documents waiting to be sealed into a segment (the limit is "
                        + (o.bufferBytes() >> 20) + " MiB) and none was sealed for " + o.bufferWait().toSeconds()
                        + " s; retry later (/health tells whether refreshes fail)");
            }
            try {
                table.wait(Math.max(1, Math.min(left / 1_000_000, 200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StrataException(ErrorCode.UNAVAILABLE, "interrupted while waiting for room in the write buffer");
            }
        }
    }

    boolean delete(String id) {
        ByteBuffer record = WriteAheadLog.encode(List.of(new WriteAheadLog.Entry(WriteAheadLog.DELETE, id, (byte[]) null)));
        LogWriter.Appended appended;
        synchronized (table) {
            log.checkOpen();
            if (!table.contains(id)) return false;
            appended = log.append(record);
            table.delete(id);
        }
        if (collection.durability() == Collection.Durability.SYNC) log.sync(appended);
        return true;
    }

    /** Deletes every listed document that exists, as one log append and one fsync; returns how many existed. */
    int deleteAll(List<String> ids) {
        List<WriteAheadLog.Entry> entries = new java.util.ArrayList<>();
        LogWriter.Appended appended;
        synchronized (table) {
            log.checkOpen();
            for (String id : ids) if (table.contains(id)) entries.add(new WriteAheadLog.Entry(WriteAheadLog.DELETE, id, (byte[]) null));
            if (entries.isEmpty()) return 0;
            appended = log.append(WriteAheadLog.encode(entries));
            for (WriteAheadLog.Entry e : entries) table.delete(e.id());
        }
        if (collection.durability() == Collection.Durability.SYNC) log.sync(appended);
        return entries.size();
    }

    /** Applies one logged write at start, in log order. */
    void applyReplayed(WriteAheadLog.Entry e) {
        synchronized (table) {
            if (e.op() == WriteAheadLog.PUT) {
                Value.ObjectValue doc = (Value.ObjectValue) Json.parse(new String(e.json(), StandardCharsets.UTF_8));
                collection.fields().record(doc);
                table.put(e.id(), new DocumentTable.Pending(e.json()));
            } else {
                table.delete(e.id());
            }
        }
    }
}
