package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.core.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real disk faults: a collection directory that turns read-only and a file system that fills up.
 * The write that cannot be made durable is refused with READ_ONLY, later ones too; reads go on;
 * {@code /health} says which collection is read-only and why; once the fault is gone writes come
 * back by themselves, and after a restart every acknowledged write is there.
 */
class DiskFaultTest {
    @TempDir Path dir;

    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @Test
    void aCollectionWhoseDirectoryTurnsReadOnlyRefusesWritesKeepsServingReadsAndRecovers() throws Exception {
        Path data = dir.resolve("node");
        Path collectionDir = data.resolve("collections/c");
        List<String> acknowledged = new ArrayList<>();
        try (TestNode n = new TestNode(data, 1 << 20, c -> c.withCheckpointBytes(1))) {
            n.createCollection("c", null);
            readOnly(collectionDir, true);
            try {
                // writes into the open log still succeed until a commit needs a new log file there
                TestNode.Response refused = writeUntilRefused(n, "w", 16, acknowledged);
                assertThat(refused.status()).isEqualTo(503);
                assertThat(refused.error()).isEqualTo("READ_ONLY");
                assertThat(refused.message()).contains("collection 'c' is read-only").contains("cannot start a new write-ahead log")
                        .contains("nothing acknowledged is lost").doesNotContain(data.toString());

                TestNode.Response health = n.await("/health", r -> r.status() == 503);
                assertThat(health.get("status")).isEqualTo(Value.of("degraded"));
                assertThat(health.get("collections", "c", "status")).isEqualTo(Value.of("read_only"));
                assertThat(health.get("collections", "c", "read_only").toString()).contains("cannot start a new write-ahead log");
                for (String id : acknowledged) assertThat(n.get("/collections/c/docs/" + id).status()).isEqualTo(200);
                assertThat(n.query("c", "v >= 0").status()).isEqualTo(200);
                assertThat(n.json("DELETE", "/collections/c/docs/" + acknowledged.get(0), null).error()).isEqualTo("READ_ONLY");
            } finally {
                readOnly(collectionDir, false);
            }
            writesComeBack(n, acknowledged);
        }
        assertAllThereAfterARestart(data, acknowledged);
    }

    @Test
    void aFullFileSystemRefusesTheWriteThatDoesNotFitAndLosesNothing() throws Exception {
        Path mount = Files.createDirectories(dir.resolve("small"));
        assumeTrue(ROOT && run("mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", mount.toString()) == 0,
                "filling a file system needs root to mount a small tmpfs");
        List<String> acknowledged = new ArrayList<>();
        Path data = mount.resolve("node");
        try {
            try (TestNode n = new TestNode(data, 1 << 20)) {
                n.createCollection("c", null);
                TestNode.Response refused = writeUntilRefused(n, "big", 150_000, acknowledged);
                assertThat(refused.error()).isEqualTo("READ_ONLY");
                assertThat(refused.message()).contains("No space left on device").doesNotContain(data.toString());
                assertThat(acknowledged).isNotEmpty();
                TestNode.Response health = n.await("/health", r -> r.status() == 503);
                assertThat(health.get("collections", "c", "status")).isEqualTo(Value.of("read_only"));
                for (String id : acknowledged) assertThat(n.get("/collections/c/docs/" + id).status()).isEqualTo(200);

                assertThat(run("mount", "-o", "remount,size=64m", mount.toString())).isZero();
                writesComeBack(n, acknowledged);
            }
            assertAllThereAfterARestart(data, acknowledged);
        } finally {
            run("umount", "-l", mount.toString());
        }
    }

    /** Once the fault is gone, a write is accepted again by itself and /health is ok. */
    private static void writesComeBack(TestNode n, List<String> acknowledged) {
        TestNode.Response back = Await.until("a write after the fault is gone",
                () -> n.json("PUT", "/collections/c/docs/after", "{\"v\":1000}"), r -> r.status() != 503);
        assertThat(back.status()).isEqualTo(201);
        acknowledged.add("after");
        n.await("/health", r -> r.status() == 200);
    }

    private static void assertAllThereAfterARestart(Path data, List<String> acknowledged) {
        try (TestNode again = new TestNode(data)) {
            assertThat(again.all("c", "v >= 0", 10_000).ids()).containsExactlyInAnyOrderElementsOf(acknowledged);
        }
    }

    /** PUTs documents (with {@code padding} random characters) until one is refused; returns the refusal. */
    private static TestNode.Response writeUntilRefused(TestNode n, String prefix, int padding, List<String> acknowledged) {
        AtomicInteger next = new AtomicInteger();
        Random r = new Random(1);
        return Await.until("a refused write", () -> {
            int i = next.getAndIncrement();
            StringBuilder pad = new StringBuilder(padding);
            for (int k = 0; k < padding; k++) pad.append((char) ('a' + r.nextInt(26)));
            String id = prefix + i;
            TestNode.Response w = n.json("PUT", "/collections/c/docs/" + id, "{\"v\":" + i + ",\"pad\":\"" + pad + "\"}");
            if (w.status() == 201) acknowledged.add(id);
            else if (w.status() != 503) throw new AssertionError("unexpected reply to a write: " + w.raw());
            if (w.status() == 201) Await.sleep(50); // give the commit task its turn
            return w;
        }, w -> w.status() == 503);
    }

    /** Makes a directory refuse new files (as root, where permissions do not bind: the immutable attribute). */
    private static void readOnly(Path directory, boolean on) throws Exception {
        if (ROOT) {
            assertThat(run("chattr", on ? "+i" : "-i", directory.toString())).isZero();
        } else {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString(on ? "r-xr-xr-x" : "rwxr-xr-x"));
        }
    }

    private static int run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        int rc = p.waitFor();
        if (rc != 0) System.err.println(String.join(" ", command) + " -> " + rc + ": " + out);
        return rc;
    }
}
