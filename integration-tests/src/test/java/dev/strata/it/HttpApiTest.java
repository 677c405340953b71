package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end over the real HTTP server on a random port: ingest, query with every language
 * feature (checked against the naive oracle), get, delete, restart, query again; and every kind
 * of bad input answered with a clear 4xx.
 */
class HttpApiTest {
    @TempDir Path dir;

    static final List<String> FEATURE_QUERIES = List.of(
            "category = 'phones'",
            "category != 'phones' AND price < 100",
            "price * qty > 500 AND category = 'phones'",
            "price / 2 >= 400 OR qty % 3 = 1",
            "-price < -1000",
            "NOT in_stock",
            "in_stock AND NOT (price > 50)",
            "price BETWEEN 100 AND 500",
            "price NOT BETWEEN 100 AND 500",
            "category IN ('phones', 'laptops')",
            "qty NOT IN (0, 1, 2)",
            "name LIKE 'iPhone%'",
            "name ILIKE '%PRO%'",
            "name NOT LIKE '%a%'",
            "rating IS NULL",
            "rating IS NOT NULL AND rating > 4",
            "brand IS MISSING",
            "brand.country IS NOT MISSING",
            "exists(brand.name) AND brand.name = 'Pixel'",
            "NOT exists(rating)",
            "tags = 'sale'",
            "tags[0] = 'sale'",
            "tags IS NOT MISSING AND NOT tags = 'sale'",
            "released >= DATE '2021-01-01'",
            "released < DATE '2019-06-01' OR released > DATE '2024-01-01'",
            "released BETWEEN DATE '2020-01-01' AND DATE '2022-12-31'",
            "lower(category) = 'phones' AND length(name) > 10",
            "starts_with(name, 'Pixel') OR ends_with(name, '3')",
            "contains(upper(name), 'MAX')",
            "abs(price - 500) < 100",
            "round(price) = floor(price) + 1",
            "concat(category, '/', brand.country) = 'phones/KR'",
            "(category = 'phones' OR category = 'tablets') AND (qty > 5 OR rating >= 4.5)",
            "price > 10 AND price > 20 AND category != 'x' AND qty >= 0");

    @Test
    void ingestQueryGetDeleteRestartAndQueryAgain() throws Exception {
        List<String> lines = demoLines();
        Harness oracle = new Harness(lines, "released");
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("products", "{\"mappings\": {\"released\": \"date\"}}");
            // three bulks, refreshed one by one: three segments
            for (int part = 0; part < 3; part++) {
                StringBuilder body = new StringBuilder();
                for (int i = part * 20; i < Math.min(lines.size(), part * 20 + 20); i++) body.append(withId(lines.get(i), "d" + i)).append('\n');
                TestNode.Response r = n.send("POST", "/collections/products/bulk?refresh=true", "application/x-ndjson", body.toString(), false);
                assertThat(r.status()).as(r.raw()).isEqualTo(200);
                assertThat(r.get("failed")).isEqualTo(Value.of(0L));
            }
            assertThat(n.get("/collections/products").get("documents")).isEqualTo(Value.of((long) lines.size()));
            checkFeatures(n, oracle);

            // the index answers equality; explain says so, with actual counts
            TestNode.Response ex = n.send("GET", "/collections/products/explain?q=" + enc("category = 'phones' AND price * qty > 500"), null, null, false);
            assertThat(ex.status()).isEqualTo(200);
            String plan = Json.write(ex.get("explain"));
            assertThat(plan).contains("\"tier\":\"index\"").contains("keyword(category = \\\"phones\\\")").contains("\"tier\":\"expression\"");

            // get, update, delete
            TestNode.Response got = n.get("/collections/products/docs/d3");
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.get("_source", "name")).isEqualTo(oracle.docs.get(3).get("name"));
            TestNode.Response put = n.json("PUT", "/collections/products/docs/d3?refresh=true", "{\"name\": \"Renamed\", \"category\": \"renamed\"}");
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.get("result")).isEqualTo(Value.of("updated"));
            TestNode.Response created = n.json("POST", "/collections/products/docs?refresh=true", "{\"category\": \"renamed\"}");
            assertThat(created.status()).isEqualTo(201);
            String generatedId = ((Value.StringValue) created.get("_id")).value();
            assertThat(ids(n.query("products", "category = 'renamed' LIMIT 1000"))).containsExactlyInAnyOrder("d3", generatedId);
            assertThat(n.send("DELETE", "/collections/products/docs/d4?refresh=true", null, null, false).status()).isEqualTo(200);
            assertThat(n.send("DELETE", "/collections/products/docs/d4", null, null, false).status()).isEqualTo(404);
            assertThat(n.get("/collections/products/docs/d4").status()).isEqualTo(404);
            assertThat(ids(n.query("products", "category != 'nothing' LIMIT 1000"))).doesNotContain("d4").contains("d3");
        }
        // restart: everything acknowledged is back, from the log
        try (TestNode n = new TestNode(dir)) {
            assertThat(n.get("/collections/products/docs/d3").get("_source", "name")).isEqualTo(Value.of("Renamed"));
            assertThat(n.get("/collections/products/docs/d4").status()).isEqualTo(404);
            assertThat(n.get("/collections/products").get("documents")).isEqualTo(Value.of((long) lines.size()));
            assertThat(ids(n.query("products", "category = 'renamed'"))).hasSize(2);
            List<String> expected = new ArrayList<>(oracle.naive("price > 100"));
            expected.removeAll(List.of("d3", "d4"));
            List<String> actual = new ArrayList<>(ids(n.query("products", "price > 100 LIMIT 1000")));
            assertThat(actual).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    private static void checkFeatures(TestNode n, Harness oracle) {
        for (String q : FEATURE_QUERIES) {
            TestNode.Response r = n.query("products", q + " LIMIT 1000");
            assertThat(r.status()).as(q + " -> " + r.raw()).isEqualTo(200);
            assertThat(ids(r)).as(q).containsExactlyInAnyOrderElementsOf(oracle.naive(q));
            assertThat(r.get("total")).as(q).isEqualTo(Value.of((long) oracle.naive(q).size()));
        }
        // ranking, score and paging
        List<Value> prices = field(n.query("products", "category = 'phones' ORDER BY price DESC LIMIT 5"), "price");
        assertThat(prices).hasSize(5);
        for (int i = 1; i < prices.size(); i++) assertThat(number(prices.get(i - 1))).isGreaterThanOrEqualTo(number(prices.get(i)));
        TestNode.Response page = n.query("products", "price > 0 ORDER BY price LIMIT 3 OFFSET 2");
        TestNode.Response all = n.query("products", "price > 0 ORDER BY price LIMIT 5");
        assertThat(ids(page)).containsExactlyElementsOf(ids(all).subList(2, 5));
        TestNode.Response scored = n.query("products", "rating IS NOT NULL SET _score = rating * 2 LIMIT 3");
        List<Value> hits = ((Value.ArrayValue) scored.get("hits")).elements();
        double best = ((Value.FloatValue) ((Value.ObjectValue) hits.get(0)).get("_score")).value();
        double topRating = oracle.docs.stream().map(d -> d.get("rating")).filter(v -> v instanceof Value.FloatValue)
                .mapToDouble(v -> ((Value.FloatValue) v).value()).max().orElseThrow();
        assertThat(best).isEqualTo(topRating * 2);
        // the query may come in the URL too
        TestNode.Response viaUrl = n.get("/collections/products/query?q=" + enc("category = 'phones'") + "&profile=true");
        assertThat(viaUrl.get("total")).isEqualTo(Value.of((long) oracle.naive("category = 'phones'").size()));
        assertThat(viaUrl.get("profile", "execute_ms")).isInstanceOf(Value.FloatValue.class);
    }

    @Test
    void badInputGetsAClearClientErrorAndLosesNothing() {
        try (TestNode n = new TestNode(dir, 4096)) {
            n.createCollection("c", null);
            assertThat(n.json("PUT", "/collections/c/docs/a?refresh=true", "{\"x\": 1}").status()).isEqualTo(201);

            TestNode.Response malformed = n.json("PUT", "/collections/c/docs/b", "{\"x\": 1,\n \"y\": }");
            assertThat(malformed.status()).isEqualTo(400);
            assertThat(malformed.error()).isEqualTo("INVALID_JSON");
            assertThat(malformed.raw()).contains("line 2, column 7");

            TestNode.Response notObject = n.json("PUT", "/collections/c/docs/b", "[1, 2]");
            assertThat(notObject.status()).isEqualTo(400);

            TestNode.Response big = n.json("PUT", "/collections/c/docs/b", "{\"x\": \"" + "y".repeat(5000) + "\"}");
            assertThat(big.status()).isEqualTo(413);
            assertThat(big.error()).isEqualTo("TOO_LARGE");

            TestNode.Response syntax = n.query("c", "x > 1 AND\n  (y = ");
            assertThat(syntax.status()).isEqualTo(400);
            assertThat(syntax.error()).isEqualTo("QUERY_SYNTAX");
            assertThat(syntax.get("error", "line")).isEqualTo(Value.of(2L));
            assertThat(syntax.get("error", "column")).isEqualTo(Value.of(8L));

            TestNode.Response type = n.query("c", "x > 'a'");
            assertThat(type.status()).isEqualTo(400);
            assertThat(type.error()).isEqualTo("TYPE_MISMATCH");

            assertThat(n.query("nope", "x > 1").status()).isEqualTo(404);
            assertThat(n.query("nope", "x > 1").error()).isEqualTo("NOT_FOUND");
            assertThat(n.get("/collections/c/docs/zzz").status()).isEqualTo(404);
            assertThat(n.get("/no/such/endpoint").status()).isEqualTo(404);

            TestNode.Response ct = n.send("PUT", "/collections/c/docs/b", "application/xml", "<x/>", false);
            assertThat(ct.status()).isEqualTo(415);
            assertThat(ct.error()).isEqualTo("WRONG_CONTENT_TYPE");

            TestNode.Response noToken = n.send("PUT", "/collections/d", null, null, false);
            assertThat(noToken.status()).isEqualTo(401);
            TestNode.Response wrongToken = n.send("DELETE", "/collections/c", null, null, false);
            assertThat(wrongToken.status()).isEqualTo(401);
            assertThat(n.send("PUT", "/collections/c", null, null, true).status()).isEqualTo(409);
            assertThat(n.send("PUT", "/collections/Bad%20Name", null, null, true).status()).isEqualTo(400);
            TestNode.Response badMapping = n.send("PUT", "/collections/m", "application/json", "{\"mappings\": {\"a\": \"colour\"}}", true);
            assertThat(badMapping.status()).isEqualTo(400);

            TestNode.Response badFlag = n.get("/collections/c/query?q=x&explain=maybe");
            assertThat(badFlag.status()).isEqualTo(400);
            assertThat(n.get("/collections/c/query").status()).isEqualTo(400);

            TestNode.Response badId = n.json("POST", "/collections/c/docs", "{\"_id\": 5}");
            assertThat(badId.status()).isEqualTo(400);

            // a bulk with bad lines indexes the good ones and reports each bad one by line
            String bulk = "{\"_id\": \"k1\", \"x\": 2}\n{\"x\": \n[1]\n\n{\"_id\": \"k2\", \"x\": 3}\n";
            TestNode.Response b = n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk, false);
            assertThat(b.status()).isEqualTo(200);
            assertThat(b.get("indexed")).isEqualTo(Value.of(2L));
            assertThat(b.get("failed")).isEqualTo(Value.of(2L));
            List<Value> errors = ((Value.ArrayValue) b.get("errors")).elements();
            assertThat(errors).extracting(e -> ((Value.ObjectValue) e).get("line")).containsExactly(Value.of(2L), Value.of(3L));

            // a mapping refuses a document whole and names the field
            n.createCollection("dated", "{\"mappings\": {\"when\": \"date\"}}");
            TestNode.Response badDate = n.json("PUT", "/collections/dated/docs/x", "{\"when\": \"not a date\"}");
            assertThat(badDate.status()).isEqualTo(400);
            assertThat(badDate.raw()).contains("field 'when' is mapped as date");

            // nothing was lost and the node still answers
            assertThat(ids(n.query("c", "x >= 1"))).containsExactlyInAnyOrder("a", "k1", "k2");
            assertThat(n.get("/health").status()).isEqualTo(200);
        }
    }

    // ---- helpers ----

    static List<String> demoLines() throws Exception {
        List<String> out = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                HttpApiTest.class.getResourceAsStream("/demo/products.ndjson"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                Map<String, Value> m = new LinkedHashMap<>(((Value.ObjectValue) Json.parse(line)).fields());
                m.remove("_id");
                out.add(Json.write(new Value.ObjectValue(m)));
            }
        }
        return out;
    }

    static String withId(String json, String id) {
        Map<String, Value> m = new LinkedHashMap<>();
        m.put("_id", Value.of(id));
        m.putAll(((Value.ObjectValue) Json.parse(json)).fields());
        return Json.write(new Value.ObjectValue(m));
    }

    static List<String> ids(TestNode.Response r) {
        if (r.status() != 200) throw new AssertionError(r.raw());
        return ((Value.ArrayValue) r.get("hits")).elements().stream()
                .map(h -> ((Value.StringValue) ((Value.ObjectValue) h).get("_id")).value()).toList();
    }

    private static List<Value> field(TestNode.Response r, String name) {
        return ((Value.ArrayValue) r.get("hits")).elements().stream()
                .map(h -> ((Value.ObjectValue) ((Value.ObjectValue) h).get("_source")).get(name)).toList();
    }

    private static double number(Value v) {
        return v instanceof Value.IntValue i ? i.value() : ((Value.FloatValue) v).value();
    }

    static String enc(String s) { return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
