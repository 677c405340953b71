package dev.strata.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {
    @TempDir Path dir;

    private static WriteAheadLog.Entry put(String id, String json) { return new WriteAheadLog.Entry(WriteAheadLog.PUT, id, json); }

    @Test
    void recordsReplayInOrderAfterReopening() {
        Path f = dir.resolve("wal.log");
        try (WriteAheadLog log = WriteAheadLog.open(f, e -> { })) {
            log.syncTo(log.append(WriteAheadLog.encode(List.of(put("a", "{\"x\":1}"), put("ü", "{\"y\":\"é\"}")))));
            log.syncTo(log.append(WriteAheadLog.encode(List.of(new WriteAheadLog.Entry(WriteAheadLog.DELETE, "a", (byte[]) null)))));
        }
        List<WriteAheadLog.Entry> seen = new ArrayList<>();
        WriteAheadLog.open(f, seen::add).close();
        assertThat(seen).containsExactly(put("a", "{\"x\":1}"), put("ü", "{\"y\":\"é\"}"),
                new WriteAheadLog.Entry(WriteAheadLog.DELETE, "a", (byte[]) null));
    }

    @Test
    void aTornOrCorruptTailIsCutOffAndAppendsContinueAfterTheLastGoodRecord() throws Exception {
        Path f = dir.resolve("wal.log");
        long good;
        try (WriteAheadLog log = WriteAheadLog.open(f, e -> { })) {
            good = log.append(WriteAheadLog.encode(List.of(put("a", "{}"), put("b", "{}"))));
            log.syncAll();
        }
        // a record cut off mid-write, as a crash leaves it
        byte[] next = WriteAheadLog.encode(List.of(put("c", "{\"long\":\"" + "z".repeat(100) + "\"}"))).array();
        Files.write(f, java.util.Arrays.copyOf(next, next.length / 2), java.nio.file.StandardOpenOption.APPEND);
        List<WriteAheadLog.Entry> seen = new ArrayList<>();
        try (WriteAheadLog log = WriteAheadLog.open(f, seen::add)) {
            assertThat(seen).extracting(WriteAheadLog.Entry::id).containsExactly("a", "b");
            assertThat(Files.size(f)).isEqualTo(good);
            log.syncTo(log.append(WriteAheadLog.encode(List.of(put("d", "{}")))));
        }
        // a flipped bit in the last record: its checksum fails and replay stops before it
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.seek(raf.length() - 1);
            int b = raf.read();
            raf.seek(raf.length() - 1);
            raf.write(b ^ 1);
        }
        seen.clear();
        WriteAheadLog.open(f, seen::add).close();
        assertThat(seen).extracting(WriteAheadLog.Entry::id).containsExactly("a", "b");
    }

    @Test
    void concurrentWritersShareSyncsAndEveryRecordIsKept() throws Exception {
        Path f = dir.resolve("wal.log");
        try (WriteAheadLog log = WriteAheadLog.open(f, e -> { })) {
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                final int w = t;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 200; i++) log.syncTo(log.append(WriteAheadLog.encode(List.of(put(w + "-" + i, "{}")))));
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) t.join();
        }
        List<WriteAheadLog.Entry> seen = new ArrayList<>();
        WriteAheadLog.open(f, seen::add).close();
        assertThat(seen).hasSize(800);
        for (int w = 0; w < 4; w++) {
            final String prefix = w + "-";
            List<Integer> order = seen.stream().map(WriteAheadLog.Entry::id).filter(id -> id.startsWith(prefix))
                    .map(id -> Integer.parseInt(id.substring(prefix.length()))).toList();
            assertThat(order).as("one writer's records keep their order").isSorted().hasSize(200);
        }
    }
}
