package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An append-only log of document writes. Each record is {@code [length:int][crc32c:int][payload]}
 * with payload {@code [op:byte][idLength:int][id:utf8][json:utf8]}. A torn or corrupt tail (the
 * process died mid-write) ends replay and is cut off; everything before it was written whole.
 *
 * <p>Group commit: {@link #append} writes under a short lock and returns the end position;
 * {@link #syncTo} makes the log durable up to a position. A thread that finds a sync in progress
 * waits for it and then usually finds its own records already covered, so concurrent writers
 * share one {@code fsync}.
 */
public final class WriteAheadLog implements AutoCloseable {
    public static final byte PUT = 1;
    public static final byte DELETE = 2;
    private static final int HEADER = 8;
    private static final int MAX_RECORD = 256 << 20;

    /** One logged write: {@code json} is the document's UTF-8 JSON, null for a delete. */
    public record Entry(byte op, String id, byte[] json) {
        /** A write of JSON text. */
        public Entry(byte op, String id, String json) { this(op, id, json == null ? null : json.getBytes(StandardCharsets.UTF_8)); }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.op == op && e.id.equals(id) && java.util.Arrays.equals(e.json, json);
        }

        @Override
        public int hashCode() { return id.hashCode() * 31 + java.util.Arrays.hashCode(json); }

        @Override
        public String toString() { return "Entry[" + op + ", " + id + ", " + (json == null ? null : new String(json, StandardCharsets.UTF_8)) + "]"; }
    }

    private final Path file;
    private final FileChannel channel;
    private final Object syncLock = new Object();
    private volatile long written;
    private volatile long synced;

    private WriteAheadLog(Path file, FileChannel channel, long size) {
        this.file = file;
        this.channel = channel;
        this.written = size;
        this.synced = size;
    }

    /**
     * Opens {@code file} for appending after replaying it into {@code sink}. A damaged tail is
     * truncated (and the truncation made durable) before the first append.
     */
    public static WriteAheadLog open(Path file, java.util.function.Consumer<Entry> sink) {
        try {
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long good = replay(ch, sink);
            if (good < ch.size()) {
                ch.truncate(good);
                ch.force(true);
            }
            ch.position(good);
            return new WriteAheadLog(file, ch, good);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the write-ahead log " + file, e);
        }
    }

    /** Replays a log file that is not open for writing (a checkpoint). */
    public static void replay(Path file, java.util.function.Consumer<Entry> sink) {
        if (!Files.exists(file)) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            replay(ch, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static long replay(FileChannel ch, java.util.function.Consumer<Entry> sink) throws IOException {
        long size = ch.size();
        long pos = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        CRC32C crc = new CRC32C();
        while (pos + HEADER <= size) {
            header.clear();
            readFully(ch, header, pos);
            header.flip();
            int length = header.getInt();
            int checksum = header.getInt();
            if (length < 5 || length > MAX_RECORD || pos + HEADER + length > size) break;
            ByteBuffer payload = ByteBuffer.allocate(length);
            readFully(ch, payload, pos + HEADER);
            crc.reset();
            crc.update(payload.array(), 0, length);
            if ((int) crc.getValue() != checksum) break;
            payload.flip();
            byte op = payload.get();
            int idLength = payload.getInt();
            if (idLength < 0 || idLength > length - 5 || (op != PUT && op != DELETE)) break;
            String id = new String(payload.array(), 5, idLength, StandardCharsets.UTF_8);
            byte[] json = op == PUT ? java.util.Arrays.copyOfRange(payload.array(), 5 + idLength, length) : null;
            sink.accept(new Entry(op, id, json));
            pos += HEADER + length;
        }
        return pos;
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = ch.read(b, at + b.position());
            if (n < 0) throw new IOException("unexpected end of log");
        }
    }

    /** Encodes entries as log records (callers may encode outside any lock). */
    public static ByteBuffer encode(List<Entry> entries) {
        List<byte[]> ids = new ArrayList<>(entries.size());
        List<byte[]> jsons = new ArrayList<>(entries.size());
        int total = 0;
        for (Entry e : entries) {
            byte[] id = e.id().getBytes(StandardCharsets.UTF_8);
            byte[] json = e.json() == null ? new byte[0] : e.json();
            ids.add(id);
            jsons.add(json);
            total += HEADER + 5 + id.length + json.length;
        }
        ByteBuffer out = ByteBuffer.allocate(total);
        CRC32C crc = new CRC32C();
        for (int i = 0; i < entries.size(); i++) {
            byte[] id = ids.get(i);
            byte[] json = jsons.get(i);
            int length = 5 + id.length + json.length;
            if (length > MAX_RECORD) {
                throw new StrataException(ErrorCode.TOO_LARGE, "document '" + entries.get(i).id() + "' is larger than "
                        + (MAX_RECORD >> 20) + " MiB");
            }
            int start = out.position();
            out.putInt(length).putInt(0).put(entries.get(i).op()).putInt(id.length).put(id).put(json);
            crc.reset();
            crc.update(out.array(), start + HEADER, length);
            out.putInt(start + 4, (int) crc.getValue());
        }
        out.flip();
        return out;
    }

    /** Appends encoded records; returns the log position after them (to pass to {@link #syncTo}). */
    public long append(ByteBuffer records) {
        synchronized (this) {
            try {
                while (records.hasRemaining()) channel.write(records);
                written = channel.position();
                return written;
            } catch (IOException e) {
                try { // cut a partial record off again, so that later appends follow the last whole one
                    channel.truncate(written);
                    channel.position(written);
                } catch (IOException ignored) {
                    // a torn last record is where replay stops, and no append follows it (the collection turns read-only)
                }
                throw new UncheckedIOException("cannot append to the write-ahead log " + file, e);
            }
        }
    }

    private volatile java.util.function.LongConsumer onSync = ns -> { };

    /** Tells {@code listener} how long each fsync took (nanoseconds), on the syncing thread. */
    void onSync(java.util.function.LongConsumer listener) { this.onSync = listener; }

    /** Returns once everything up to {@code position} is on disk. */
    public void syncTo(long position) {
        if (synced >= position) return;
        synchronized (syncLock) {
            if (synced >= position) return;
            long target = written;
            long t0 = System.nanoTime();
            try {
                channel.force(false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot sync the write-ahead log " + file, e);
            }
            onSync.accept(System.nanoTime() - t0);
            synced = target;
        }
    }

    /** Makes everything appended so far durable (the relaxed mode's timer calls this). */
    public void syncAll() { syncTo(written); }

    public long size() { return written; }

    /** Empties the log (after a checkpoint made its content durable elsewhere). */
    public void truncate() {
        synchronized (this) {
            synchronized (syncLock) {
                try {
                    channel.truncate(0);
                    channel.position(0);
                    channel.force(true);
                    written = 0;
                    synced = 0;
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot truncate the write-ahead log " + file, e);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            syncAll();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
