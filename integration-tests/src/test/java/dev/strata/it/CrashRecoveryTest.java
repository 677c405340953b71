package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9: a real node process ingests with durable acknowledgements (single writes and bulks from
 * two clients), is killed with SIGKILL at a random moment, and restarted on the same data
 * directory. Every acknowledged document must be back with its acknowledged content.
 */
class CrashRecoveryTest {
    @TempDir Path dir;

    private record Running(Process process, String url) {}

    private Running start() {
        ChildNode n = ChildNode.start(dir, List.of(), "--refresh-interval-ms", "50");
        return new Running(n.process, n.url);
    }

    @Test
    void everyAcknowledgedWriteSurvivesKillMinusNine() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(60)).build();
        Map<String, Long> acknowledged = new ConcurrentHashMap<>();
        Random random = new Random(2026);
        for (int round = 0; round < 4; round++) {
            Running node = start();
            if (round == 0) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.url() + "/collections/k"))
                        .header("Authorization", "Bearer " + ChildNode.TOKEN).PUT(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            } else {
                verify(http, node.url(), acknowledged);
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            final int r0 = round;
            for (int w = 0; w < 2; w++) {
                final int writer = w;
                Thread t = new Thread(() -> write(http, node.url(), r0, writer, acknowledged, stop));
                t.start();
                writers.add(t);
            }
            Thread.sleep(300 + random.nextInt(1200));
            node.process().destroyForcibly(); // SIGKILL
            ChildNode.waitGone(node.process().toHandle());
            stop.set(true);
            for (Thread t : writers) t.join();
        }
        assertThat(acknowledged.size()).as("acknowledged writes across rounds").isGreaterThan(50);
        Running last = start();
        try {
            verify(http, last.url(), acknowledged);
        } finally {
            last.process().destroyForcibly();
            ChildNode.waitGone(last.process().toHandle());
        }
        try (var files = Files.list(dir.resolve("collections/k"))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).anyMatch(f -> f.startsWith("wal-"));
        }
    }

    /** Writes versioned documents until stopped; records what the node acknowledged. */
    static void write(HttpClient http, String url, int round, int writer, Map<String, Long> acknowledged, AtomicBoolean stop) {
        long seq = 0;
        while (!stop.get()) {
            seq++;
            long version = round * 1_000_000L + seq;
            try {
                if (seq % 3 == 0) {
                    StringBuilder bulk = new StringBuilder();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        String id = "w" + writer + "-" + (seq * 20 + i) % 400;
                        ids.add(id);
                        bulk.append("{\"_id\":\"").append(id).append("\",\"v\":").append(version).append(",\"pad\":\"")
                                .append("x".repeat(100)).append("\"}\n");
                    }
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/collections/k/bulk"))
                            .header("Content-Type", "application/x-ndjson").POST(HttpRequest.BodyPublishers.ofString(bulk.toString()))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) for (String id : ids) acknowledged.put(id, version);
                } else {
                    String id = "w" + writer + "-" + seq % 400;
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/collections/k/docs/" + id))
                            .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"v\":" + version + "}"))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() / 100 == 2) acknowledged.put(id, version);
                }
            } catch (Exception e) {
                return; // the node died: this write was not acknowledged
            }
        }
    }

    static void verify(HttpClient http, String url, Map<String, Long> acknowledged) throws Exception {
        for (Map.Entry<String, Long> e : acknowledged.entrySet()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "/collections/k/docs/" + e.getKey())).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as("acknowledged document " + e.getKey()).isEqualTo(200);
            Value.ObjectValue doc = (Value.ObjectValue) ((Value.ObjectValue) Json.parse(r.body())).get("_source");
            long v = ((Value.IntValue) doc.get("v")).value();
            // a later unacknowledged write may have landed too; never an older one
            assertThat(v).as("version of " + e.getKey()).isGreaterThanOrEqualTo(e.getValue());
        }
    }
}
