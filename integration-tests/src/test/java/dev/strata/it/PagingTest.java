package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pages: a default page of 10, a largest page, and the {@code next} cursor, a keyset over the sort
 * keys and {@code _id}. The guarantee tested: a document that matches throughout the paging and
 * whose sort keys do not change comes back exactly once, whatever is written in between; no hit
 * comes back twice.
 */
class PagingTest {
    @TempDir Path dir;

    private static void load(TestNode n, int count) {
        n.createCollection("c", null);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < count; i++) {
            bulk.append("{\"_id\":\"b").append(String.format("%03d", i)).append("\",\"kind\":\"base\",\"n\":").append(i)
                    .append(",\"group\":").append(i % 4).append("}\n");
        }
        assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
    }

    private static TestNode.Response next(TestNode n, TestNode.Response r) {
        String token = ((Value.StringValue) r.get("next")).value();
        return n.get("/collections/c/query?cursor=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    @Test
    void aQueryWithoutLimitReturnsTheDefaultPageAndTheCursorWalksTheRestInOrder() {
        try (TestNode n = new TestNode(dir)) {
            load(n, 25);
            TestNode.Response first = n.query("c", "kind = 'base'");
            assertThat(first.ids()).hasSize(10).startsWith("b000", "b001");
            assertThat(first.get("total")).isEqualTo(Value.of(25L));
            TestNode.Response second = next(n, first);
            assertThat(second.ids()).hasSize(10).startsWith("b010");
            assertThat(second.get("total")).isEqualTo(Value.of(25L));
            TestNode.Response last = next(n, second);
            assertThat(last.ids()).hasSize(5).endsWith("b024");
            assertThat(last.get("next")).as("the last page has no cursor").isNull();

            // several segments whose ids interleave: the unranked pages still come in _id order across them
            String more = "{\"_id\":\"a1\",\"kind\":\"base\",\"n\":100,\"group\":1}\n"
                    + "{\"_id\":\"b0105\",\"kind\":\"base\",\"n\":101,\"group\":2}\n{\"_id\":\"z9\",\"kind\":\"base\",\"n\":102,\"group\":3}\n";
            assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", more, false).status()).isEqualTo(200);
            List<String> everything = new ArrayList<>(n.all("c", "kind = 'base'", 4).ids());
            List<String> sorted = new ArrayList<>(everything);
            java.util.Collections.sort(sorted);
            assertThat(everything).hasSize(28).isEqualTo(sorted).startsWith("a1", "b000").endsWith("b024", "z9");
            assertThat(everything.indexOf("b0105")).isEqualTo(everything.indexOf("b010") + 1);

            // ranked, with ties: the pages follow the order of one big page (group, then _id)
            List<String> all = n.query("c", "kind = 'base' AND n < 100 ORDER BY group DESC LIMIT 100").ids();
            List<String> paged = new ArrayList<>(n.all("c", "kind = 'base' AND n < 100 ORDER BY group DESC", 3).ids());
            assertThat(paged).isEqualTo(all);
            assertThat(all.subList(0, 3)).containsExactly("b003", "b007", "b011");
            List<String> scored = n.all("c", "kind = 'base' SET _score = n % 5", 4).ids();
            assertThat(scored).isEqualTo(n.query("c", "kind = 'base' SET _score = n % 5 LIMIT 100").ids());
        }
    }

    @Test
    void aPageDeeperThanTheLargestOneIsRefusedWithTheCursorNamed() {
        try (TestNode n = new TestNode(dir)) {
            load(n, 3);
            for (String q : List.of("kind = 'base' LIMIT 10001", "kind = 'base' LIMIT 10 OFFSET 9995")) {
                TestNode.Response r = n.query("c", q);
                assertThat(r.status()).as(q).isEqualTo(400);
                assertThat(r.error()).isEqualTo("INVALID_REQUEST");
                assertThat(r.raw()).contains("at most 10000 hits deep").contains("\\\"next\\\" cursor");
            }
            assertThat(n.get("/collections/c/query?cursor=bm90LWEtY3Vyc29y").raw()).contains("the cursor is not one this node gave out");
            assertThat(n.get("/collections/c/query?q=n%3E0&cursor=x").raw()).contains("give a query or a cursor, not both");
            // a well-formed cursor whose keys do not fit its query: a 400, not a failure of the node
            String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    "{\"v\":1,\"q\":\"n >= 0 ORDER BY n\",\"keys\":[],\"score\":1.0,\"id\":\"b000\"}".getBytes(StandardCharsets.UTF_8));
            TestNode.Response bad = n.get("/collections/c/query?cursor=" + forged);
            assertThat(bad.status()).as(bad.raw()).isEqualTo(400);
            assertThat(bad.raw()).contains("the cursor holds 0 sort key(s) but its query sorts by 1");
        }
    }

    @Test
    void writesBetweenPagesNeitherSkipNorRepeatAHitThatMatchesThroughout() throws Exception {
        try (TestNode n = new TestNode(dir)) {
            load(n, 200);
            // sorted by n, pages of 7; a writer adds matching documents and deletes and rewrites others meanwhile
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger written = new AtomicInteger();
            Set<String> deleted = java.util.concurrent.ConcurrentHashMap.newKeySet();
            Thread writer = new Thread(() -> {
                int i = 0;
                while (!stop.get()) {
                    n.json("PUT", "/collections/c/docs/w" + i, "{\"kind\":\"base\",\"n\":" + (i * 7 % 300) + "}");
                    if (i % 5 == 0 && i / 5 < 200 && (i / 5) % 3 == 2) {
                        String victim = String.format("b%03d", i / 5);
                        deleted.add(victim);
                        n.send("DELETE", "/collections/c/docs/" + victim, null, null, false);
                    }
                    written.incrementAndGet();
                    i++;
                }
            });
            writer.start();
            List<String> seen = new ArrayList<>();
            TestNode.Response page = n.query("c", "kind = 'base' ORDER BY n LIMIT 7");
            int pages = 0;
            while (true) {
                assertThat(page.status()).as(page.raw()).isEqualTo(200);
                seen.addAll(page.ids());
                pages++;
                if (page.get("next") == null) break;
                if (pages == 3) Await.until("the writer to write", written::get, w -> w > 20); // writes land between pages
                page = next(n, page);
            }
            stop.set(true);
            writer.join();

            assertThat(new HashSet<>(seen)).as("no hit twice").hasSize(seen.size());
            for (int i = 0; i < 200; i++) {
                String id = String.format("b%03d", i);
                if (!deleted.contains(id)) assertThat(seen).as("%s matched throughout", id).contains(id);
            }
        }
    }
}
