package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GROUP BY and aggregates over HTTP: the README's semantics, paging over groups, and the errors. */
class AggregationTest {
    @TempDir Path dir;

    private static final String DOCS = """
            {"_id":"a","cat":"phones","price":10,"tags":["x","y","x"],"t":"Zed","d":"2024-01-31"}
            {"_id":"b","cat":"phones","price":20.5,"tags":["y"],"t":5,"d":"2024-02-01"}
            {"_id":"c","cat":"laptops","price":100,"tags":[],"t":"Apple","d":"2024-02-29"}
            {"_id":"d","cat":null,"price":"n/a","t":5.0,"d":"2023-12-31"}
            {"_id":"e","price":1,"tags":"x"}
            """;

    private TestNode.Response q(TestNode n, String query) {
        return n.get("/collections/c/query?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8));
    }

    private static List<String> rows(TestNode.Response r) {
        List<String> out = new ArrayList<>();
        for (Value v : ((Value.ArrayValue) r.get("groups")).elements()) out.add(Json.write(v));
        return out;
    }

    private TestNode load(int segments) {
        TestNode n = new TestNode(dir);
        n.createCollection("c", "{\"mappings\":{\"d\":\"date\"}}");
        String[] lines = DOCS.strip().split("\n");
        int per = (lines.length + segments - 1) / segments;
        for (int i = 0; i < lines.length; i += per) {
            String part = String.join("\n", java.util.Arrays.asList(lines).subList(i, Math.min(lines.length, i + per))) + "\n";
            assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", part, false).status()).isEqualTo(200);
        }
        return n;
    }

    @Test
    void groupsCountNullKeysTogetherAndAggregatesSkipWhatIsNotANumber() {
        try (TestNode n = load(2)) {
            TestNode.Response r = q(n, "SELECT cat, COUNT(*), COUNT(price) AS priced, SUM(price), AVG(price), MIN(price), MAX(t)"
                    + " GROUP BY cat");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.get("total")).isEqualTo(Value.of(5L));
            assertThat(r.get("total_groups")).isEqualTo(Value.of(3L));
            assertThat(r.json().get("hits")).isNull();
            TestNode.Response profiled = n.get("/collections/c/query?profile=true&q=" + URLEncoder.encode("GROUP BY cat", StandardCharsets.UTF_8));
            assertThat(profiled.get("profile", "aggregate_ms")).isInstanceOf(Value.FloatValue.class);
            assertThat(rows(r)).containsExactly(
                    "{\"cat\":\"laptops\",\"COUNT(*)\":1,\"priced\":1,\"SUM(price)\":100,\"AVG(price)\":100.0,\"MIN(price)\":100,\"MAX(t)\":\"Apple\"}",
                    "{\"cat\":\"phones\",\"COUNT(*)\":2,\"priced\":2,\"SUM(price)\":30.5,\"AVG(price)\":15.25,\"MIN(price)\":10,\"MAX(t)\":\"Zed\"}",
                    // null and missing keys are one group, last; "n/a" is counted by COUNT but skipped by SUM and AVG
                    "{\"cat\":null,\"COUNT(*)\":2,\"priced\":2,\"SUM(price)\":1,\"AVG(price)\":1.0,\"MIN(price)\":1,\"MAX(t)\":5.0}");
        }
    }

    @Test
    void anArrayCountsOnceInTheGroupOfEachOfItsElements() {
        try (TestNode n = load(1)) {
            TestNode.Response r = q(n, "GROUP BY tags");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            // a: x, y (x twice counts once); b: y; c: [] and d: missing are the null group; e: "x"
            assertThat(rows(r)).containsExactly("{\"tags\":\"x\",\"count\":2}", "{\"tags\":\"y\",\"count\":2}",
                    "{\"tags\":null,\"count\":2}");
            assertThat(rows(q(n, "SELECT cat, tags, COUNT(*) AS n GROUP BY cat, tags ORDER BY n DESC, cat")))
                    .containsExactly("{\"cat\":\"phones\",\"tags\":\"y\",\"n\":2}", "{\"cat\":\"laptops\",\"tags\":null,\"n\":1}",
                            "{\"cat\":\"phones\",\"tags\":\"x\",\"n\":1}", "{\"cat\":null,\"tags\":\"x\",\"n\":1}",
                            "{\"cat\":null,\"tags\":null,\"n\":1}");
        }
    }

    @Test
    void mixedKindsAreSeparateGroupsSortedByKindAndOneEqualsOnePointZero() {
        try (TestNode n = load(2)) {
            assertThat(rows(q(n, "SELECT t, COUNT(*) AS n, COUNT(DISTINCT cat) AS cats GROUP BY t")))
                    .containsExactly("{\"t\":5,\"n\":2,\"cats\":1}", "{\"t\":\"Apple\",\"n\":1,\"cats\":1}",
                            "{\"t\":\"Zed\",\"n\":1,\"cats\":1}", "{\"t\":null,\"n\":1,\"cats\":0}");
        }
    }

    @Test
    void histogramsBucketNumbersAndDates() {
        try (TestNode n = load(2)) {
            assertThat(rows(q(n, "SELECT histogram(price, 50) AS bucket, COUNT(*) AS n WHERE price >= 0 GROUP BY histogram(price, 50)")))
                    .as("an integral key shows as an int: 1 and 1.0 are one group").containsExactly("{\"bucket\":0,\"n\":3}", "{\"bucket\":100,\"n\":1}");
            assertThat(rows(q(n, "SELECT date_histogram(d, 'month') AS m, COUNT(*) AS n GROUP BY date_histogram(d, 'month')"
                    + " ORDER BY m DESC")))
                    .containsExactly("{\"m\":\"2024-02-01\",\"n\":2}", "{\"m\":\"2024-01-01\",\"n\":1}", "{\"m\":\"2023-12-01\",\"n\":1}",
                            "{\"m\":null,\"n\":1}");
            assertThat(rows(q(n, "SELECT date_histogram(d, 'week') AS w, COUNT(*) AS n WHERE _id = 'c' GROUP BY date_histogram(d, 'week')")))
                    .as("weeks start on Monday").containsExactly("{\"w\":\"2024-02-26\",\"n\":1}");
            TestNode.Response bad = q(n, "GROUP BY date_histogram(d, 'fortnight')");
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.raw()).contains("WRONG_ARGUMENTS").contains("year, quarter, month");
        }
    }

    @Test
    void aggregatesWithoutGroupByAreOneRowEvenWhenNothingMatches() {
        try (TestNode n = load(1)) {
            assertThat(rows(q(n, "SELECT COUNT(*), SUM(price), MAX(cat) WHERE price > 1000")))
                    .containsExactly("{\"COUNT(*)\":0,\"SUM(price)\":null,\"MAX(cat)\":null}");
            assertThat(rows(q(n, "SELECT COUNT(*) AS n WHERE 1 = 2"))).containsExactly("{\"n\":0}");
        }
    }

    @Test
    void groupsPageWithLimitAndACursorThatSkipsAndRepeatsNothing() {
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("c", null);
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 300; i++) bulk.append("{\"_id\":\"d").append(i).append("\",\"k\":").append(i % 37).append("}\n");
            assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
            TestNode.Response first = q(n, "SELECT k, COUNT(*) AS n GROUP BY k ORDER BY n DESC");
            assertThat(first.get("total_groups")).isEqualTo(Value.of(37L));
            List<String> all = new ArrayList<>(rows(first));
            assertThat(all).as("the default page").hasSize(10);
            Value next = first.get("next");
            while (next instanceof Value.StringValue cursor) {
                TestNode.Response page = n.get("/collections/c/query?cursor=" + cursor.value());
                assertThat(page.status()).as(page.raw()).isEqualTo(200);
                all.addAll(rows(page));
                next = page.get("next");
            }
            List<String> expected = new ArrayList<>();
            for (int k = 0; k < 37; k++) if (k < 300 % 37) expected.add("{\"k\":" + k + ",\"n\":9}");
            for (int k = 0; k < 37; k++) if (k >= 300 % 37) expected.add("{\"k\":" + k + ",\"n\":8}");
            assertThat(all).containsExactlyElementsOf(expected);
            assertThat(rows(q(n, "SELECT k, COUNT(*) AS n GROUP BY k ORDER BY k DESC LIMIT 2 OFFSET 1")))
                    .containsExactly("{\"k\":35,\"n\":8}", "{\"k\":34,\"n\":8}");
        }
    }

    @Test
    void misplacedAggregatesAndItemsAreErrorsWithPositions() {
        try (TestNode n = load(1)) {
            assertError(q(n, "SELECT cat, price GROUP BY cat"), "UNSUPPORTED", "'price' is neither a GROUP BY key nor an aggregate", "1:13");
            assertError(q(n, "COUNT(*) > 1"), "UNSUPPORTED", "COUNT is an aggregate", "1:1");
            assertError(q(n, "SELECT SUM(cat) GROUP BY price"), "TYPE_MISMATCH", "SUM needs numbers", "1:12");
            assertError(q(n, "SELECT * GROUP BY cat"), "UNSUPPORTED", "SELECT * returns whole documents", null);
            assertError(q(n, "GROUP BY cat SET _score = price"), "UNSUPPORTED", "order them by an aggregate", null);
            assertError(q(n, "SELECT cat GROUP BY cat ORDER BY price"), "UNSUPPORTED", "'price' is none of them", "1:34");
            assertError(q(n, "SELECT SUM(DISTINCT price)"), "WRONG_ARGUMENTS", "DISTINCT is allowed in COUNT only", null);
            assertError(q(n, "SELECT lower(*)"), "WRONG_ARGUMENTS", "'*' is an argument of an aggregate only", null);
        }
    }

    @Test
    void groupsAndDistinctValuesCountAgainstTheQueryMemoryBudget() {
        var config = dev.strata.node.NodeConfig.defaults(dir.resolve("small")).toBuilder().queryMemoryBytes(1 << 20)
                .refreshInterval(java.time.Duration.ZERO).build();
        try (dev.strata.node.Node node = dev.strata.node.Node.open(config)) {
            var c = node.create("c", dev.strata.node.storage.Mappings.NONE);
            List<dev.strata.node.storage.Collection.Document> docs = new ArrayList<>();
            for (int i = 0; i < 40_000; i++) {
                docs.add(new dev.strata.node.storage.Collection.Document("d" + i,
                        (Value.ObjectValue) Json.parse("{\"k\":" + (i % 3) + ",\"u\":\"v" + i + "\"}")));
            }
            c.putAll(docs);
            c.refresh();
            for (String q : List.of("GROUP BY _id", "SELECT k, COUNT(DISTINCT u) GROUP BY k")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> node.queries().run(c, q, true))
                        .as(q).isInstanceOfSatisfying(dev.strata.core.StrataException.class,
                                e -> assertThat(e.code()).isEqualTo(dev.strata.core.ErrorCode.RESOURCE_EXHAUSTED))
                        .hasMessageContaining("memory budget");
            }
            var ok = node.queries().run(c, "SELECT k, COUNT(*) AS n GROUP BY k", true).result();
            assertThat(ok.groups().rows()).hasSize(3).allSatisfy(r -> assertThat(r.get("n")).isIn(Value.of(13_334L), Value.of(13_333L)));
        }
    }

    private static void assertError(TestNode.Response r, String code, String message, String position) {
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.raw()).contains(code).contains(message);
        if (position != null) assertThat(Json.write(r.get("error", "line")) + ":" + Json.write(r.get("error", "column"))).isEqualTo(position);
    }
}
