package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.wasm.WatFixtures;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WASM tier end to end on a real node over real HTTP: registration with the admin token,
 * wasm_udf(...) in filters, ORDER BY and SET _score checked against results computed here,
 * positioned plan-time errors, hostile modules stopped with clear errors while the node and the
 * pools stay healthy, unload, and modules surviving a restart.
 */
class WasmUdfHttpTest {
    /** (module (func (export "one") (result i32) i32.const 1)) as binary. */
    static final byte[] ONE = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
            0x03, 0x02, 0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 'o', 'n', 'e', 0x00, 0x00, 0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x01, 0x0b};

    record Doc(String id, String name, double price, long qty, String category) {}

    @TempDir Path dir;

    static String module(String wat, Map<String, String> signatures) {
        Map<String, Value> sigs = new java.util.LinkedHashMap<>();
        signatures.forEach((k, v) -> sigs.put(k, Value.of(v)));
        return Json.write(new Value.ObjectValue(Map.of("format", Value.of("wat"), "content", Value.of(wat),
                "version", Value.of("1.0"), "signatures", new Value.ObjectValue(sigs))));
    }

    static List<Doc> docs() {
        Random r = new Random(42);
        String[] cats = {"phones", "laptops", "audio"};
        List<Doc> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            out.add(new Doc("p" + i, "item" + "x".repeat(r.nextInt(8)), Math.round(r.nextDouble() * 40000) / 100.0, r.nextInt(12), cats[r.nextInt(3)]));
        }
        return out;
    }

    static void load(TestNode n, List<Doc> docs) {
        n.createCollection("products", null);
        StringBuilder b = new StringBuilder();
        for (Doc d : docs) {
            b.append(String.format(Locale.ROOT, "{\"_id\":\"%s\",\"name\":\"%s\",\"price\":%s,\"qty\":%d,\"category\":\"%s\"}%n",
                    d.id(), d.name(), d.price(), d.qty(), d.category()));
        }
        TestNode.Response r = n.send("POST", "/collections/products/bulk?refresh=true", "application/x-ndjson", b.toString(), false);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    static List<String> ids(TestNode.Response r) { return r.ids(); }


    @Test
    void registerQueryExplainUnloadAndRestart() {
        List<Doc> docs = docs();
        try (TestNode n = new TestNode(dir)) {
            load(n, docs);
            assertThat(n.send("PUT", "/udfs/wasm_udf/math", "application/json", module(WatFixtures.text("math"), Map.of()), false).status()).isEqualTo(401);
            TestNode.Response reg = n.send("PUT", "/udfs/wasm_udf/math", "application/json", module(WatFixtures.text("math"), Map.of()), true);
            assertThat(reg.status()).as(reg.raw()).isEqualTo(201);
            assertThat(n.send("PUT", "/udfs/wasm_udf/math", "application/json", module(WatFixtures.text("math"), Map.of()), true).status()).isEqualTo(200);
            assertThat(n.send("PUT", "/udfs/wasm_udf/scan", "application/json", module(WatFixtures.text("scan"), WatFixtures.SCAN_SIGNATURES), true).status()).isEqualTo(201);
            assertThat(n.send("PUT", "/udfs/wasm_udf/text", "application/json", module(WatFixtures.text("strings"), WatFixtures.STRING_SIGNATURES), true).status()).isEqualTo(201);
            assertThat(n.send("PUT", "/udfs/wasm_udf/one?version=2", "application/wasm", new String(ONE, java.nio.charset.StandardCharsets.ISO_8859_1), true).status())
                    .as("a raw .wasm body (every byte is below 0x80, so it survives a string body)").isEqualTo(201);
            assertThat(n.get("/udfs/wasm_udf/one").get("version")).isEqualTo(Value.of("2"));
            assertThat(ids(n.query("products", "wasm_udf('one.one') = 1 LIMIT 1000"))).hasSize(docs.size());

            // a filter: the index narrows to phones, the UDF sees only those candidates
            List<String> want = docs.stream().filter(d -> d.category().equals("phones") && d.price() * d.qty() > 500)
                    .map(Doc::id).sorted().toList();
            TestNode.Response q = n.send("POST", "/collections/products/query?explain=true", "text/plain",
                    "category = 'phones' AND wasm_udf('scan.pricey') LIMIT 1000", false);
            assertThat(ids(q)).containsExactlyInAnyOrderElementsOf(want);
            Value.ObjectValue udf = (Value.ObjectValue) ((Value.ArrayValue) q.get("explain", "udfs")).elements().get(0);
            long phones = docs.stream().filter(d -> d.category().equals("phones")).count();
            assertThat(udf.get("function")).isEqualTo(Value.of("scan.pricey"));
            assertThat(udf.get("documents")).as("only the index's candidates reach the UDF").isEqualTo(Value.of(phones));
            assertThat(udf.get("traps")).isEqualTo(Value.of(0L));
            List<Value> clauses = ((Value.ArrayValue) q.get("explain", "clauses")).elements();
            assertThat(clauses).extracting(c -> ((Value.ObjectValue) c).get("tier")).containsExactly(Value.of("index"), Value.of("wasm_udf"));

            // ORDER BY and SET _score
            List<String> byHalf = docs.stream().sorted(java.util.Comparator.comparingDouble(Doc::price).reversed().thenComparing(Doc::id))
                    .limit(5).map(Doc::id).toList();
            assertThat(ids(n.query("products", "ORDER BY wasm_udf('math.half', price) DESC LIMIT 5"))).isEqualTo(byHalf);
            List<String> byValue = docs.stream().filter(d -> d.category().equals("audio"))
                    .sorted(java.util.Comparator.comparingDouble((Doc d) -> d.price() * d.qty()).reversed().thenComparing(Doc::id))
                    .limit(4).map(Doc::id).toList();
            TestNode.Response scored = n.query("products", "category = 'audio' SET _score = wasm_udf('scan.value') ORDER BY _score DESC LIMIT 4");
            assertThat(ids(scored)).isEqualTo(byValue);
            List<String> longNames = docs.stream().filter(d -> d.name().length() > 9 && d.qty() + 1 > 5).map(Doc::id).sorted().toList();
            assertThat(ids(n.query("products", "wasm_udf('text.len', name) > 9 AND wasm_udf('math.add', qty, 1) > 5 LIMIT 1000")))
                    .containsExactlyInAnyOrderElementsOf(longNames);

            // a UDF call as a group key and inside an aggregate
            java.util.TreeMap<Integer, long[]> byLength = new java.util.TreeMap<>();
            for (Doc d : docs) {
                long[] g = byLength.computeIfAbsent(d.name().length(), k -> new long[2]);
                g[0]++;
                g[1] += d.qty() + 1;
            }
            List<String> expectedGroups = new ArrayList<>();
            byLength.forEach((len, g) -> expectedGroups.add("{\"len\":" + len + ",\"n\":" + g[0] + ",\"s\":" + g[1] + "}"));
            TestNode.Response grouped = n.query("products", "SELECT wasm_udf('text.len', name) AS len, COUNT(*) AS n,"
                    + " SUM(wasm_udf('math.add', qty, 1)) AS s GROUP BY wasm_udf('text.len', name) LIMIT 100");
            assertThat(grouped.status()).as(grouped.raw()).isEqualTo(200);
            assertThat(((Value.ArrayValue) grouped.get("groups")).elements()).extracting(Json::write).containsExactlyElementsOf(expectedGroups);

            // plan-time errors with positions
            TestNode.Response arity = n.query("products", "price > 1 AND wasm_udf('math.add', qty) > 1");
            assertThat(arity.status()).isEqualTo(400);
            assertThat(arity.error()).isEqualTo("WRONG_ARGUMENTS");
            assertThat(arity.get("error", "column")).isEqualTo(Value.of(15L));
            assertThat(((Value.StringValue) arity.get("error", "message")).value()).contains("takes 2 arguments (i32, i32) -> i32, not 1");
            TestNode.Response type = n.query("products", "wasm_udf('math.add', name, 1) > 1");
            assertThat(type.error()).isEqualTo("TYPE_MISMATCH");
            assertThat(type.get("error", "column")).as("at the argument").isEqualTo(Value.of(22L));
            TestNode.Response unknown = n.query("products", "wasm_udf('nope.f') > 1");
            assertThat(unknown.error()).isEqualTo("UNKNOWN_FUNCTION");
            assertThat(((Value.StringValue) unknown.get("error", "message")).value()).contains("there is no wasm_udf module 'nope'");

            // a bad module lists its problems; nothing is registered
            TestNode.Response bad = n.send("PUT", "/udfs/wasm_udf/bad", "application/json",
                    module("(module (import \"env\" \"x\" (func)) (func (export \"f\") (result i32) i32.const 1))", Map.of("g", "() -> i32")), true);
            assertThat(bad.status()).isEqualTo(400);
            assertThat(((Value.StringValue) bad.get("error", "message")).value()).contains("env.x").contains("'g'");

            // list, describe, unload
            TestNode.Response list = n.get("/udfs");
            assertThat(((Value.ArrayValue) list.get("modules")).elements()).extracting(m -> ((Value.ObjectValue) m).get("name"))
                    .contains(Value.of("math"), Value.of("scan"), Value.of("text"));
            TestNode.Response d = n.get("/udfs/wasm_udf/scan");
            assertThat(d.get("details", "fieldHandles")).isEqualTo(Value.of(2L));
            assertThat(n.send("DELETE", "/udfs/wasm_udf/text", null, null, true).status()).isEqualTo(200);
            assertThat(n.send("DELETE", "/udfs/wasm_udf/text", null, null, true).status()).isEqualTo(404);
            assertThat(n.query("products", "wasm_udf('text.len', name) > 9").error()).isEqualTo("UNKNOWN_FUNCTION");
        }
        try (TestNode n = new TestNode(dir)) {
            assertThat(n.get("/udfs/wasm_udf/scan").status()).isEqualTo(200);
            assertThat(n.get("/udfs/wasm_udf/text").status()).isEqualTo(404);
            List<String> want = docs.stream().filter(dd -> dd.price() * dd.qty() > 500).map(Doc::id).sorted().toList();
            assertThat(ids(n.query("products", "wasm_udf('scan.pricey') LIMIT 1000"))).containsExactlyInAnyOrderElementsOf(want);
        }
    }

    /** Two clients query while the module is replaced over and over: every answer is right, none fails. */
    @Test
    void replacingAModuleUnderLoadIsAtomic() throws Exception {
        List<Doc> docs = docs();
        String sub = "(module (func (export \"add\") (param i32 i32) (result i32) i32.const 0 local.get 1 i32.sub local.get 0 i32.sub i32.const -1 i32.mul))";
        try (TestNode n = new TestNode(dir)) {
            load(n, docs);
            assertThat(n.send("PUT", "/udfs/wasm_udf/math", "application/json", module(WatFixtures.text("math"), Map.of()), true).status()).isEqualTo(201);
            int want = (int) docs.stream().filter(d -> d.qty() + 1 > 5).count();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        TestNode.Response r = n.query("products", "wasm_udf('math.add', qty, 1) > 5 LIMIT 1000");
                        if (r.status() != 200) failures.add(r.raw());
                        else if (((Value.ArrayValue) r.get("hits")).elements().size() != want) failures.add("wrong count: " + r.raw());
                        else answered.incrementAndGet();
                    }
                });
                t.start();
                clients.add(t);
            }
            for (int i = 0; i < 20; i++) {
                String wat = i % 2 == 0 ? sub : WatFixtures.text("math");
                TestNode.Response r = n.send("PUT", "/udfs/wasm_udf/math", "application/json", module(wat, Map.of()), true);
                assertThat(r.status()).as(r.raw()).isEqualTo(200);
                Thread.sleep(20);
            }
            stop.set(true);
            for (Thread t : clients) t.join();
            assertThat(failures).isEmpty();
            assertThat(answered.get()).isPositive();
        }
    }

    @Test
    void hostileModulesFailClearlyAndTheNodeKeepsServing() {
        List<Doc> docs = docs();
        try (TestNode n = new TestNode(dir)) {
            load(n, docs);
            assertThat(n.send("PUT", "/udfs/wasm_udf/evil", "application/json", module(WatFixtures.text("hostile"), Map.of()), true).status()).isEqualTo(201);
            TestNode.Response spin = n.send("POST", "/collections/products/query?timeout_ms=300", "text/plain", "wasm_udf('evil.spin', qty) > 0", false);
            assertThat(spin.status()).as(spin.raw()).isEqualTo(504);
            assertThat(spin.error()).isEqualTo("DEADLINE_EXCEEDED");
            assertThat(((Value.StringValue) spin.get("error", "message")).value())
                    .contains("wasm_udf('evil.spin') was stopped on document").contains("deadline of 300 ms");

            TestNode.Response boom = n.query("products", "wasm_udf('evil.boom', qty) > 0");
            assertThat(boom.status()).isEqualTo(400);
            assertThat(boom.error()).isEqualTo("UDF_FAILED");
            assertThat(((Value.StringValue) boom.get("error", "message")).value()).startsWith("wasm_udf('evil.boom') failed on document 'p");

            assertThat(ids(n.query("products", "wasm_udf('evil.grow', qty) = 2 LIMIT 1000"))).hasSize(docs.size());
            for (int round = 0; round < 3; round++) {
                assertThat(ids(n.query("products", "wasm_udf('evil.ok', qty) > 5 LIMIT 1000")))
                        .hasSize((int) docs.stream().filter(d -> d.qty() + 1 > 5).count());
            }
            assertThat(n.get("/health").status()).isEqualTo(200);
            TestNode.Response d = n.get("/udfs/wasm_udf/evil");
            assertThat(((Value.IntValue) d.get("details", "instancesDiscarded")).value()).isGreaterThanOrEqualTo(2);
        }
    }
}
