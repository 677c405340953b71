package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writers update and delete documents while readers query and fetch them over HTTP, with
 * refreshes and merges running in the background. No request fails and no reader ever sees a
 * torn document (every document's fields come from one write).
 */
class ConcurrentIngestAndQueryTest {
    @TempDir Path dir;

    @Test
    void writersAndReadersRunTogetherWithoutErrorsOrTornDocuments() throws Exception {
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("c", null);
            Queue<String> problems = new ConcurrentLinkedQueue<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            AtomicLong queries = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                final int writer = w;
                threads.add(new Thread(() -> {
                    long v = 0;
                    while (!stop.get()) {
                        v++;
                        String id = "w" + writer + "-" + v % 300;
                        TestNode.Response r;
                        if (v % 10 == 0) {
                            StringBuilder bulk = new StringBuilder();
                            for (int i = 0; i < 50; i++) {
                                long x = v * 100 + i;
                                bulk.append(doc("w" + writer + "-" + (v + i) % 300, x)).append('\n');
                            }
                            r = n.send("POST", "/collections/c/bulk", "application/x-ndjson", bulk.toString(), false);
                        } else if (v % 7 == 0) {
                            r = n.send("DELETE", "/collections/c/docs/" + id, null, null, false);
                            if (r.status() == 404) r = new TestNode.Response(200, r.json(), r.raw());
                        } else {
                            r = n.json("PUT", "/collections/c/docs/" + id, doc(null, v));
                        }
                        if (r.status() / 100 != 2) problems.add("write: " + r.raw());
                        writes.incrementAndGet();
                    }
                }));
            }
            for (int q = 0; q < 2; q++) {
                final int reader = q;
                threads.add(new Thread(() -> {
                    long i = 0;
                    while (!stop.get()) {
                        i++;
                        TestNode.Response torn = n.query("c", "b != a * 2 OR c != concat('v', s) OR a IS MISSING");
                        if (torn.status() != 200 || !torn.get("total").equals(Value.of(0L))) problems.add("torn: " + torn.raw());
                        TestNode.Response top = n.query("c", "a >= 0 ORDER BY a DESC LIMIT 20");
                        if (top.status() != 200) {
                            problems.add("query: " + top.raw());
                        } else {
                            for (Value h : ((Value.ArrayValue) top.get("hits")).elements()) {
                                Value.ObjectValue src = (Value.ObjectValue) ((Value.ObjectValue) h).get("_source");
                                if (!consistent(src)) problems.add("torn hit: " + src);
                            }
                        }
                        TestNode.Response got = n.get("/collections/c/docs/w" + reader + "-" + i % 300);
                        if (got.status() == 200 && !consistent((Value.ObjectValue) got.get("_source"))) problems.add("torn get: " + got.raw());
                        if (got.status() != 200 && got.status() != 404) problems.add("get: " + got.raw());
                        queries.incrementAndGet();
                    }
                }));
            }
            threads.forEach(Thread::start);
            Thread.sleep(4000);
            stop.set(true);
            for (Thread t : threads) t.join();
            assertThat(problems).isEmpty();
            assertThat(writes.get()).isGreaterThan(100);
            assertThat(queries.get()).isGreaterThan(20);
            n.send("POST", "/collections/c/refresh", null, null, false);
            assertThat(n.query("c", "b = a * 2").get("total")).isEqualTo(n.get("/collections/c").get("documents"));
        }
    }

    private static String doc(String id, long v) {
        return (id == null ? "{" : "{\"_id\":\"" + id + "\",") + "\"a\":" + v + ",\"b\":" + 2 * v + ",\"s\":\"" + v + "\",\"c\":\"v" + v + "\"}";
    }

    private static boolean consistent(Value.ObjectValue d) {
        long a = ((Value.IntValue) d.get("a")).value();
        return d.get("b").equals(Value.of(2 * a)) && d.get("s").equals(Value.of(String.valueOf(a))) && d.get("c").equals(Value.of("v" + a));
    }
}
