package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.storage.files.CommitPoint;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while refreshes, merges and commits run all the time (a refresh every 20 ms, a commit
 * every 20 kB of log, merges of every 4 small segments), many rounds. Afterwards every
 * acknowledged document is back with its acknowledged version, queries over the recovered
 * segments equal those over a fresh load of the same documents, and once the node stops no file
 * is left that its commit point does not name.
 */
class CrashDuringMaintenanceTest {
    @TempDir Path dir;

    private ChildNode start() {
        return ChildNode.start(dir.resolve("node"), List.of(), "--refresh-interval-ms", "20", "--commit-log-bytes", "20000");
    }

    @Test
    void killMinusNineDuringRefreshMergeAndCommitLosesNothingAndLeavesNoOrphans() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Random random = new Random(2027);
        for (int round = 0; round < 8; round++) {
            ChildNode node = start();
            if (round == 0) node.createCollection("k", null);
            else CrashRecoveryTest.verify(http, node.url, acknowledged);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            final int r0 = round;
            for (int w = 0; w < 2; w++) {
                final int writer = w;
                Thread t = new Thread(() -> CrashRecoveryTest.write(http, node.url, r0, writer, acknowledged, stop));
                t.start();
                writers.add(t);
            }
            Thread.sleep(400 + random.nextInt(1600));
            node.kill();
            stop.set(true);
            for (Thread t : writers) t.join();
        }
        assertThat(acknowledged.size()).as("acknowledged writes across rounds").isGreaterThan(100);

        ChildNode last = start();
        try {
            CrashRecoveryTest.verify(http, last.url, acknowledged);
            assertSameAnswersAsAFreshLoad(last);
        } finally {
            last.close(); // SIGTERM: the node commits and removes what its commit point no longer names
        }
        assertNoOrphans(dir.resolve("node/collections/k"));
    }

    /** Every document the recovered node holds, loaded into a fresh node: the same queries give the same answers. */
    private void assertSameAnswersAsAFreshLoad(ChildNode recovered) throws Exception {
        QueryClient.Paged all = recovered.all("k", "v >= 0", 5_000);
        assertThat(all.hits()).as("every hit once, page after page").hasSize((int) all.total());
        assertThat(new HashSet<>(all.ids())).hasSize(all.hits().size());
        StringBuilder bulk = new StringBuilder();
        for (Value.ObjectValue hit : all.hits()) {
            Map<String, Value> doc = new java.util.LinkedHashMap<>(((Value.ObjectValue) hit.get("_source")).fields());
            doc.put("_id", hit.get("_id"));
            bulk.append(Json.write(new Value.ObjectValue(doc))).append('\n');
        }
        try (TestNode fresh = new TestNode(dir.resolve("fresh"), 64 << 20)) {
            fresh.createCollection("k", null);
            TestNode.Response loaded = fresh.send("POST", "/collections/k/bulk", "application/x-ndjson", bulk.toString(), false);
            assertThat(loaded.status()).as(loaded.raw()).isEqualTo(200);
            long total = all.total();
            fresh.await("/collections/k/query?q=v%20%3E%3D%200%20LIMIT%200", r -> r.status() == 200 && r.get("total").equals(Value.of(total)));
            long mid = 2_000_000L;
            for (String q : List.of("v < " + mid, "v >= " + mid + " AND exists(pad)",
                    "pad LIKE 'x%'", "NOT exists(pad)", "pad LIKE '%x' AND v BETWEEN 1000000 AND 5000000")) {
                QueryClient.Paged a = recovered.all("k", q, 10_000);
                QueryClient.Paged b = fresh.all("k", q, 10_000);
                assertThat(a.total()).as(q).isEqualTo(b.total());
                assertThat(new HashSet<>(a.ids())).as(q).isEqualTo(new HashSet<>(b.ids()));
            }
        }
    }

    private static void assertNoOrphans(Path collection) throws Exception {
        CommitPoint latest = CommitPoint.latest(collection);
        assertThat(latest).as("a commit point after a clean stop").isNotNull();
        Set<String> named = new HashSet<>();
        for (CommitPoint.Entry e : latest.segments()) {
            named.add(String.format("seg-%08d.sdat", e.seq()));
            named.add(String.format("seg-%08d.ssrc", e.seq()));
        }
        try (var files = Files.list(collection)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("seg-")) assertThat(named).as("segment file " + name + " is named by the commit point").contains(name);
                else if (name.startsWith("wal-")) {
                    long gen = Long.parseLong(name.substring(4, 12));
                    assertThat(gen).as("log " + name + " is after what the commit point covers").isGreaterThan(latest.walCovered());
                } else {
                    assertThat(name).as("no temporary or stray file").matches("collection\\.json|commit-\\d{8}\\.scp");
                }
            }
        }
    }
}
