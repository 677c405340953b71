package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three member processes take bulk writes through whichever member is alive while one of them is
 * killed with SIGKILL and restarted, round after round, and finally all three are killed at once
 * and restarted: every document a bulk acknowledged is found afterwards, once.
 */
class ClusterDurabilityTest {
    private static final int ROUNDS = 3;
    @TempDir Path dir;
    private final List<ChildNode> members = new java.util.concurrent.CopyOnWriteArrayList<>(java.util.Arrays.asList(new ChildNode[3]));
    private List<Integer> ports;

    @AfterEach
    void stop() {
        for (ChildNode n : members) if (n != null) n.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    private ChildNode start(int i) {
        String seeds = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        return ChildNode.start(dir.resolve("m" + i), List.of("-Xmx512m"), "--cluster", "hazelcast", "--cluster-name", "dur-" + ports.get(0),
                "--cluster-port", Integer.toString(ports.get(i)), "--cluster-seeds", seeds, "--partitions", "23", "--quorum", "2");
    }

    private static int count(TestNode.Response r, String field) { return ((Value.ArrayValue) r.get(field)).elements().size(); }

    /** Waits until every member sees all three and holds its partitions in line (owned copies ready, backups synced). */
    private void awaitInLine() {
        for (ChildNode n : members) {
            n.await("/cluster", r -> r.status() == 200 && count(r, "members") == 3 && r.get("in_line") == Value.TRUE && r.get("settled") == Value.TRUE);
        }
    }

    @Test
    void noAcknowledgedDocumentIsLostWhenMembersAreKilled() throws Exception {
        ports = List.of(freePort(), freePort(), freePort());
        for (int i = 0; i < 3; i++) members.set(i, start(i));
        members.get(0).createCollection("docs", null);
        awaitInLine();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < ROUNDS; round++) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = writer(round, acked, stop);
            writer.start();
            int before = acked.size();
            Await.until("writes acknowledged before the kill", acked::size, n -> n >= before + 300);
            int victim = round % 3;
            members.get(victim).kill();
            int atKill = acked.size();
            Await.until("writes acknowledged after the kill", acked::size, n -> n >= atKill + 300);
            members.set(victim, start(victim));
            awaitInLine();
            stop.set(true);
            writer.join();
            assertAllThere(acked, "round " + round);
        }
        for (ChildNode n : members) n.kill();
        for (int i = 0; i < 3; i++) members.set(i, start(i));
        awaitInLine();
        assertAllThere(acked, "after all three members were killed and restarted");
    }

    /** Bulks of 50 documents through the live members in turn; a bulk's documents count only when it answered 200 without errors for them. */
    private Thread writer(int round, Set<String> acked, AtomicBoolean stop) {
        AtomicInteger next = new AtomicInteger();
        Thread t = new Thread(() -> {
            int k = 0;
            while (!stop.get()) {
                ChildNode via = members.get(next.getAndIncrement() % 3);
                List<String> ids = new ArrayList<>();
                StringBuilder bulk = new StringBuilder();
                for (int d = 0; d < 50; d++, k++) {
                    String id = "r" + round + "-" + k;
                    ids.add(id);
                    bulk.append("{\"_id\":\"").append(id).append("\",\"n\":").append(k).append("}\n");
                }
                try {
                    TestNode.Response r = via.send("POST", "/collections/docs/bulk", "application/x-ndjson", bulk.toString(), false);
                    if (r.status() != 200 || r.get("errors_shown") != null) continue;
                    Set<Long> failedLines = new HashSet<>();
                    for (Value e : ((Value.ArrayValue) r.get("errors")).elements()) {
                        failedLines.add(((Value.IntValue) ((Value.ObjectValue) e).get("line")).value());
                    }
                    for (int line = 1; line <= ids.size(); line++) if (!failedLines.contains((long) line)) acked.add(ids.get(line - 1));
                } catch (AssertionError e) {
                    Await.sleep(50); // the member is gone or going: try the next one
                }
                Await.sleep(20);
            }
        }, "cluster-writer");
        t.setDaemon(true);
        return t;
    }

    /** Walks every document by cursor through one member: each acknowledged id is there, and no id twice. */
    private void assertAllThere(Set<String> acked, String when) {
        ChildNode via = members.get(1);
        assertThat(via.send("POST", "/collections/docs/refresh", null, null, false).status()).isEqualTo(200);
        List<String> seen = new ArrayList<>();
        TestNode.Response page = via.query("docs", "n >= 0 LIMIT 5000");
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        long total = ((Value.IntValue) page.get("total")).value();
        while (true) {
            seen.addAll(page.ids());
            if (!(page.get("next") instanceof Value.StringValue cursor)) break;
            page = via.get("/collections/docs/query?cursor=" + URLEncoder.encode(cursor.value(), StandardCharsets.UTF_8));
            assertThat(page.status()).as(page.raw()).isEqualTo(200);
        }
        assertThat(seen).as(when).doesNotHaveDuplicates().hasSize((int) total);
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(seen);
        assertThat(missing).as(when + ": acknowledged documents not found (of " + acked.size() + ")").isEmpty();
    }
}
