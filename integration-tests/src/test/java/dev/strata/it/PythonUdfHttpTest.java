package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python tier end to end on a real node over real HTTP, with real worker processes:
 * registration (isolated by default, in-process on request), python_udf(...) in a filter, in
 * ORDER BY and in SET _score, positioned errors, hostile functions, and a restart.
 */
class PythonUdfHttpTest {
    static final String SHOP = """
            import itertools

            def pricey(price, qty):
                return price * qty > 500

            def value(price, qty):
                return price * qty

            def shout(doc):
                return doc['name'].upper()

            def fails(qty):
                return 10 // (qty - qty)

            def spin(qty):
                while True:
                    qty += 1

            def hang(qty):
                return sum(itertools.count())
            """;
    static final Map<String, String> SIGS = Map.of("pricey", "(float, int) -> bool", "value", "(float, int) -> float",
            "shout", "(doc) -> str", "fails", "(int) -> int", "spin", "(int) -> int", "hang", "(int) -> int");

    record Doc(String id, String name, double price, long qty) {}

    @TempDir Path dir;

    static String module(String source, Map<String, String> sigs, String mode) {
        Map<String, Value> s = new java.util.LinkedHashMap<>();
        sigs.forEach((k, v) -> s.put(k, Value.of(v)));
        return Json.write(new Value.ObjectValue(Map.of("format", Value.of("python"), "content", Value.of(source),
                "signatures", new Value.ObjectValue(s), "options", new Value.ObjectValue(Map.of("mode", Value.of(mode))))));
    }

    static List<Doc> docs() {
        Random r = new Random(7);
        List<Doc> out = new ArrayList<>();
        for (int i = 0; i < 120; i++) out.add(new Doc("p" + i, "item" + i, Math.round(r.nextDouble() * 30000) / 100.0, r.nextInt(9)));
        return out;
    }

    static List<String> ids(TestNode.Response r) { return r.ids(); }


    @Test
    void isolatedAndInProcessModulesAnswerQueriesAndSurviveHostileCode() {
        List<Doc> docs = docs();
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("products", null);
            StringBuilder b = new StringBuilder();
            for (Doc d : docs) b.append(String.format(Locale.ROOT, "{\"_id\":\"%s\",\"name\":\"%s\",\"price\":%s,\"qty\":%d}%n", d.id(), d.name(), d.price(), d.qty()));
            assertThat(n.send("POST", "/collections/products/bulk?refresh=true", "application/x-ndjson", b.toString(), false).status()).isEqualTo(200);

            TestNode.Response reg = n.send("PUT", "/udfs/python_udf/shop", "application/json", module(SHOP, SIGS, "isolated"), true);
            assertThat(reg.status()).as(reg.raw()).isEqualTo(201);
            assertThat(reg.get("details", "mode")).isEqualTo(Value.of("isolated"));
            TestNode.Response local = n.send("PUT", "/udfs/python_udf/fast", "application/json",
                    module("def pricey(price, qty):\n    return price * qty > 500\n", Map.of("pricey", "(float, int) -> bool"), "in_process"), true);
            assertThat(local.status()).as(local.raw()).isEqualTo(201);

            List<String> want = docs.stream().filter(d -> d.price() * d.qty() > 500).map(Doc::id).sorted().toList();
            assertThat(ids(n.query("products", "python_udf('shop.pricey', price, qty) LIMIT 1000"))).containsExactlyInAnyOrderElementsOf(want);
            assertThat(ids(n.query("products", "python_udf('fast.pricey', price, qty) LIMIT 1000"))).containsExactlyInAnyOrderElementsOf(want);
            List<String> top = docs.stream().sorted(Comparator.comparingDouble((Doc d) -> d.price() * d.qty()).reversed().thenComparing(Doc::id))
                    .limit(3).map(Doc::id).toList();
            assertThat(ids(n.query("products", "SET _score = python_udf('shop.value', price, qty) ORDER BY _score DESC LIMIT 3"))).isEqualTo(top);
            TestNode.Response shouted = n.query("products", "_id = 'p5' AND python_udf('shop.shout') = 'ITEM5'");
            assertThat(ids(shouted)).containsExactly("p5");

            TestNode.Response arity = n.query("products", "python_udf('shop.pricey', price) > 1");
            assertThat(arity.error()).isEqualTo("WRONG_ARGUMENTS");
            assertThat(arity.get("error", "column")).isEqualTo(Value.of(1L));
            TestNode.Response syntax = n.send("PUT", "/udfs/python_udf/bad", "application/json", module("def f(x):\n    return x +\n",
                    Map.of("f", "(int) -> int"), "isolated"), true);
            assertThat(syntax.status()).isEqualTo(400);
            assertThat(((Value.StringValue) syntax.get("error", "message")).value()).contains("syntax error").contains("line 2");

            TestNode.Response fails = n.query("products", "python_udf('shop.fails', qty) > 0");
            assertThat(fails.error()).isEqualTo("UDF_FAILED");
            assertThat(((Value.StringValue) fails.get("error", "message")).value())
                    .startsWith("python_udf('shop.fails') failed on document 'p").contains("ZeroDivisionError").contains("shop.py, line 13, in fails");
            assertThat(n.send("POST", "/collections/products/query?timeout_ms=800", "text/plain", "python_udf('shop.spin', qty) > 0", false)
                    .status()).isEqualTo(504);
            TestNode.Response hang = n.send("POST", "/collections/products/query?timeout_ms=800", "text/plain",
                    "python_udf('shop.hang', qty) > 0", false);
            assertThat(hang.status()).as(hang.raw()).isEqualTo(504);
            assertThat(((Value.StringValue) hang.get("error", "message")).value()).contains("its worker was killed");
            // the killed worker's replacement starts in the background; meanwhile a client may get 503/504 and retries
            TestNode.Response again = Await.until("a new worker", () -> n.query("products", "python_udf('shop.pricey', price, qty) LIMIT 1000"),
                    r -> {
                        assertThat(r.status()).as(r.raw()).isIn(200, 503, 504);
                        return r.status() == 200;
                    });
            assertThat(ids(again)).as("a new worker answers").containsExactlyInAnyOrderElementsOf(want);
            assertThat(n.get("/health").status()).isEqualTo(200);
        }
        try (TestNode n = new TestNode(dir)) {
            TestNode.Response stored = n.get("/udfs/python_udf/shop");
            assertThat(stored.status()).as("kept across a restart").isEqualTo(200);
            assertThat(stored.get("state")).as("checked again in the background after a start").isIn(Value.of("loading"), Value.of("ready"));
            n.await("/udfs/python_udf/shop", r -> r.get("state").equals(Value.of("ready")));
            List<String> want = docs.stream().filter(d -> d.price() * d.qty() > 500).map(Doc::id).sorted().toList();
            assertThat(ids(n.query("products", "python_udf('shop.pricey', price, qty) LIMIT 1000"))).containsExactlyInAnyOrderElementsOf(want);
            assertThat(n.send("DELETE", "/udfs/python_udf/shop", null, null, true).status()).isEqualTo(200);
            assertThat(n.query("products", "python_udf('shop.pricey', price, qty)").error()).isEqualTo("UNKNOWN_FUNCTION");
        }
    }
}
