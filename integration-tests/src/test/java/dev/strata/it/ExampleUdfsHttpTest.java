package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.examples.ExampleModules;
import dev.strata.examples.ShopFunctions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The example UDFs of {@code examples/} (WAT, C, AssemblyScript, Rust), exactly as committed
 * (CI first checks that each rebuilds byte for byte from its source), registered on a real node
 * over HTTP with their signature files and queried. Every result is compared with the same
 * function written here in Java, on documents with non-ASCII text, missing fields, fields of
 * other kinds and arrays, so the four languages are also checked against each other.
 */
class ExampleUdfsHttpTest {
    @org.junit.jupiter.api.io.TempDir static Path dir;
    static TestNode node;
    static final List<Map<String, Object>> DOCS = documents();

    /** Documents with every case the functions meet: non-ASCII, missing, other kinds, arrays. */
    static List<Map<String, Object>> documents() {
        Random r = new Random(7);
        String[] words = {"Phone", "CASE", "free", "Winner", "café", "crème", "naïve", "日本", "😀", "Click", "here", "PRIZE",
                "urgent", "$$$", "deal", "x", "  ", "-", "Über", "iPhone", "15", "Pro"};
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("_id", "d" + i);
            if (i % 17 != 3) d.put("title", sentence(r, words, 1 + r.nextInt(5)));
            switch (i % 11) {
                case 4 -> d.put("body", 42);                                   // not a string: no spam words
                case 5 -> d.put("body", List.of(sentence(r, words, 3), "free free"));  // the first value counts
                case 6 -> { }                                                  // missing
                default -> d.put("body", sentence(r, words, r.nextInt(12)));
            }
            if (i % 7 != 2) d.put("links", (long) r.nextInt(9));
            if (i % 5 == 1) d.put("rating", (long) (1 + r.nextInt(5)));            // an int rating is widened
            else if (i % 5 != 4) d.put("rating", Math.round((1 + r.nextDouble() * 4) * 10) / 10.0);
            if (i % 6 != 5) d.put("reviews", (long) r.nextInt(600));
            if (i % 13 != 8) d.put("price", Math.round(r.nextDouble() * 50000) / 100.0);
            if (i % 9 != 7) d.put("qty", (long) r.nextInt(150));
            out.add(d);
        }
        return out;
    }

    static String sentence(Random r, String[] words, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : r.nextBoolean() ? " " : ", ").append(words[r.nextInt(words.length)]);
        return b.toString();
    }

    @BeforeAll
    static void start() {
        node = new TestNode(dir);
        load(node);
        for (String lang : ExampleModules.LANGUAGES) register(node, "shop_" + lang, lang);
    }

    @AfterAll
    static void stop() { node.close(); }

    static void load(TestNode n) {
        n.createCollection("shop", null);
        StringBuilder ndjson = new StringBuilder();
        for (Map<String, Object> d : DOCS) ndjson.append(Json.write(Value.fromJava(d))).append('\n');
        TestNode.Response r = n.send("POST", "/collections/shop/bulk?refresh=true", "application/x-ndjson", ndjson.toString(), false);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
    }

    /** Registers examples/LANG/shop.wasm with the signatures of examples/LANG/shop.signatures. */
    static void register(TestNode n, String module, String lang) {
        Map<String, Value> sigs = new LinkedHashMap<>();
        ExampleModules.signatures(lang).forEach((f, sig) -> sigs.put(f, Value.of(sig)));
        String body = Json.write(new Value.ObjectValue(Map.of("format", Value.of("wasm"),
                "content_base64", Value.of(Base64.getEncoder().encodeToString(ExampleModules.wasm(lang))), "signatures", new Value.ObjectValue(sigs))));
        TestNode.Response r = n.send("PUT", "/udfs/wasm_udf/" + module, "application/json", body, true);
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
    }

    // ---- the functions in Java (ShopFunctions), over these documents ----

    static Object first(Map<String, Object> d, String name) {
        Object v = d.get(name);
        return v instanceof List<?> l ? (l.isEmpty() ? null : l.get(0)) : v;
    }

    static boolean isSpam(Map<String, Object> d, int threshold) {
        return ShopFunctions.isSpam(first(d, "title"), first(d, "body"), d.get("links") instanceof Long l ? l : null, threshold);
    }

    static double bayesRating(Map<String, Object> d, double priorMean, double priorWeight) {
        return ShopFunctions.bayesRating(d.get("rating") instanceof Number n ? n.doubleValue() : null,
                d.get("reviews") instanceof Long l ? l : null, priorMean, priorWeight);
    }

    // ---- helpers ----

    static Map<String, Double> scores(TestNode.Response r) {
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Value h : ((Value.ArrayValue) r.get("hits")).elements()) {
            Value.ObjectValue o = (Value.ObjectValue) h;
            Value s = o.get("_score");
            out.put(((Value.StringValue) o.get("_id")).value(), s instanceof Value.FloatValue f ? f.value() : (double) ((Value.IntValue) s).value());
        }
        return out;
    }

    static List<String> idsWhere(java.util.function.Predicate<Map<String, Object>> p) {
        return DOCS.stream().filter(p).map(d -> (String) d.get("_id")).toList();
    }

    // ---- the tests, one run per language ----

    @ParameterizedTest
    @ValueSource(strings = {"c", "assemblyscript", "rust"})
    void stringDistanceIsLevenshteinInCodePoints(String lang) {
        String m = "shop_" + lang;
        for (String target : List.of("Café crème", "iPhone 15 Pro", "", "日本😀")) {
            String quoted = target.replace("'", "''");
            Map<String, Double> got = scores(node.query("shop",
                    "wasm_udf('" + m + ".string_distance', title, '" + quoted + "') >= 0 SET _score = wasm_udf('" + m + ".string_distance', title, '" + quoted + "') LIMIT 1000"));
            Map<String, Double> want = new HashMap<>();
            for (Map<String, Object> d : DOCS) {
                if (d.get("title") instanceof String t) want.put((String) d.get("_id"), (double) ShopFunctions.stringDistance(t, target));
            }
            assertThat(got).as("distance to '%s'", target).containsExactlyInAnyOrderEntriesOf(want);
        }
        assertThat(node.query("shop", "wasm_udf('" + m + ".string_distance', title, 'Phone') <= 2 LIMIT 1000").ids())
                .containsExactlyInAnyOrderElementsOf(idsWhere(d -> d.get("title") instanceof String t && ShopFunctions.stringDistance(t, "Phone") <= 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "assemblyscript", "rust"})
    void spamFilterReadsTitleBodyAndLinksThroughHostCalls(String lang) {
        for (int threshold : new int[] {1, 3, 6}) {
            TestNode.Response r = node.send("POST", "/collections/shop/query?explain=true", "text/plain",
                    "wasm_udf('shop_" + lang + ".is_spam', " + threshold + ") LIMIT 1000", false);
            assertThat(r.ids()).as("threshold %d", threshold).containsExactlyInAnyOrderElementsOf(idsWhere(d -> isSpam(d, threshold)));
            Value.ObjectValue udf = (Value.ObjectValue) ((Value.ArrayValue) r.get("explain", "udfs")).elements().get(0);
            assertThat(udf.get("traps")).isEqualTo(Value.of(0L));
        }
        // the index narrows first: the UDF sees only documents with 5 or more links
        TestNode.Response narrowed = node.send("POST", "/collections/shop/query?explain=true", "text/plain",
                "links >= 5 AND wasm_udf('shop_" + lang + ".is_spam', 4) LIMIT 1000", false);
        assertThat(narrowed.ids()).containsExactlyInAnyOrderElementsOf(
                idsWhere(d -> d.get("links") instanceof Long l && l >= 5 && isSpam(d, 4)));
        Value.ObjectValue udf = (Value.ObjectValue) ((Value.ArrayValue) narrowed.get("explain", "udfs")).elements().get(0);
        assertThat(udf.get("documents")).isEqualTo(Value.of((long) idsWhere(d -> d.get("links") instanceof Long l && l >= 5).size()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"wat", "c", "assemblyscript", "rust"})
    void bayesRatingSetsTheScore(String lang) {
        Map<String, Double> got = scores(node.query("shop", "SET _score = wasm_udf('shop_" + lang + ".bayes_rating', 3.5, 20) LIMIT 1000"));
        Map<String, Double> want = new HashMap<>();
        for (Map<String, Object> d : DOCS) want.put((String) d.get("_id"), bayesRating(d, 3.5, 20));
        assertThat(got).containsExactlyInAnyOrderEntriesOf(want);
        List<String> top = DOCS.stream().sorted(Comparator.comparingDouble((Map<String, Object> d) -> -bayesRating(d, 3.5, 20))
                .thenComparing(d -> (String) d.get("_id"))).limit(5).map(d -> (String) d.get("_id")).toList();
        assertThat(node.query("shop", "SET _score = wasm_udf('shop_" + lang + ".bayes_rating', 3.5, 20) ORDER BY _score DESC, _id LIMIT 5").ids())
                .isEqualTo(top);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wat", "c", "assemblyscript", "rust"})
    void tieredTotalRunsOncePerBatchAndSkipsMissingArguments(String lang) {
        String call = "wasm_udf('shop_" + lang + ".tiered_total', price, qty)";
        Map<String, Double> got = scores(node.query("shop", call + " >= 0 SET _score = " + call + " LIMIT 1000"));
        Map<String, Double> want = new HashMap<>();
        for (Map<String, Object> d : DOCS) {
            if (d.get("price") instanceof Double p && d.get("qty") instanceof Long q) want.put((String) d.get("_id"), ShopFunctions.tieredTotal(p, q));
        }
        assertThat(got).as("strict: a missing price or qty gives null, not a call").containsExactlyInAnyOrderEntriesOf(want);
        TestNode.Response explained = node.send("POST", "/collections/shop/query?explain=true", "text/plain", call + " > 5000 LIMIT 1000", false);
        assertThat(explained.ids()).containsExactlyInAnyOrderElementsOf(want.entrySet().stream().filter(e -> e.getValue() > 5000).map(Map.Entry::getKey).toList());
        Value.ObjectValue udf = (Value.ObjectValue) ((Value.ArrayValue) explained.get("explain", "udfs")).elements().get(0);
        assertThat(((Value.IntValue) udf.get("calls")).value()).as("one guest call per batch").isLessThan(((Value.IntValue) udf.get("documents")).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"wat", "c", "assemblyscript", "rust"})
    void slugReturnsAString(String lang) {
        String m = "shop_" + lang;
        TreeSet<String> slugs = new TreeSet<>();
        for (Map<String, Object> d : DOCS) if (d.get("title") instanceof String t) slugs.add(ShopFunctions.slug(t));
        assertThat(slugs).as("the data has slugs with dashes, and empty ones").contains("").anyMatch(s -> s.contains("-"));
        int checked = 0;
        for (String s : slugs) {
            if (checked++ % 4 != 0) continue;
            assertThat(node.query("shop", "wasm_udf('" + m + ".slug', title) = '" + s + "' LIMIT 1000").ids()).as("slug '%s'", s)
                    .containsExactlyInAnyOrderElementsOf(idsWhere(d -> d.get("title") instanceof String t && ShopFunctions.slug(t).equals(s)));
        }
        List<String> ordered = DOCS.stream().filter(d -> d.get("title") instanceof String)
                .sorted(Comparator.comparing((Map<String, Object> d) -> ShopFunctions.slug((String) d.get("title"))).thenComparing(d -> (String) d.get("_id")))
                .map(d -> (String) d.get("_id")).toList();
        assertThat(node.query("shop", "title IS NOT NULL ORDER BY wasm_udf('" + m + ".slug', title), _id LIMIT 1000").ids()).isEqualTo(ordered);
    }

    @ParameterizedTest
    @ValueSource(strings = {"wat", "c", "assemblyscript", "rust"})
    void eachModuleIsCompiledAndListsItsFunctions(String lang) {
        TestNode.Response described = node.get("/udfs/wasm_udf/shop_" + lang);
        assertThat(described.status()).isEqualTo(200);
        List<String> names = ((Value.ArrayValue) described.get("functions")).elements().stream()
                .map(f -> ((Value.StringValue) ((Value.ObjectValue) f).get("name")).value()).toList();
        List<String> expected = new ArrayList<>(List.of("bayes_rating", "slug", "tiered_total"));
        if (!lang.equals("wat")) expected.addAll(List.of("is_spam", "string_distance"));
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(described.get("details", "compiled")).isEqualTo(Value.of("all functions compiled to JVM bytecode"));
        assertThat(described.get("options", "wasi")).as("registered without WASI: only the host module is imported").isEqualTo(Value.FALSE);
    }

    @org.junit.jupiter.api.Test
    void theWatSourceRegisteredAsTextBehavesAsItsBuiltModule() throws IOException {
        String body = Json.write(new Value.ObjectValue(Map.of("format", Value.of("wat"),
                "content", Value.of(Files.readString(ExampleModules.directory().resolve("wat/shop.wat"))),
                "signatures", new Value.ObjectValue(Map.of("tiered_total", Value.of("batch (f64, i64) -> f64"), "slug", Value.of("(string) -> string"))))));
        assertThat(node.send("PUT", "/udfs/wasm_udf/shop_wat_text", "application/json", body, true).status()).isEqualTo(201);
        for (String q : List.of("SET _score = wasm_udf('%s.bayes_rating', 4.0, 5) LIMIT 1000",
                "price IS NOT NULL AND qty IS NOT NULL SET _score = wasm_udf('%s.tiered_total', price, qty) LIMIT 1000")) {
            assertThat(scores(node.query("shop", q.formatted("shop_wat_text")))).isEqualTo(scores(node.query("shop", q.formatted("shop_wat"))));
        }
    }

    /**
     * The allocators recycle: with one instance per module and a three-page memory cap, 10,000
     * calls with 100-300 byte strings in and out (and string_distance's three scratch blocks per
     * call) would run out of memory and trap in an allocator that kept even one block a call.
     */
    @org.junit.jupiter.api.Test
    void tenThousandCallsFitInThreePagesBecauseTheAllocatorsRecycle(@org.junit.jupiter.api.io.TempDir Path small) {
        try (TestNode n = new TestNode(small, 1 << 20, c -> c.withTierSettings(Map.of("wasm.memory.max-pages", "3", "wasm.pool.max-instances", "1")))) {
            n.createCollection("long", null);
            Random r = new Random(3);
            String[] words = {"Phone", "café", "--", "Winner", "日本", "deal", "x", "Über"};
            StringBuilder ndjson = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                String title = sentence(r, words, 20 + r.nextInt(40));
                ndjson.append(Json.write(Value.fromJava(Map.of("_id", "l" + i, "title", title)))).append('\n');
            }
            assertThat(n.send("POST", "/collections/long/bulk?refresh=true", "application/x-ndjson", ndjson.toString(), false).status()).isEqualTo(200);
            for (String lang : ExampleModules.LANGUAGES) register(n, "shop_" + lang, lang);
            for (int round = 0; round < 50; round++) {
                for (String lang : ExampleModules.LANGUAGES) {
                    String m = "shop_" + lang;
                    TestNode.Response slugs = n.query("long", "wasm_udf('" + m + ".slug', title) >= '' LIMIT 1000");
                    assertThat(slugs.status()).as("%s round %d: %s", lang, round, slugs.raw()).isEqualTo(200);
                    assertThat(slugs.ids()).hasSize(200);
                    if (lang.equals("wat")) continue;
                    TestNode.Response distances = n.query("long", "wasm_udf('" + m + ".string_distance', title, 'Phone, café, deal') >= 0 LIMIT 1000");
                    assertThat(distances.status()).as("%s round %d: %s", lang, round, distances.raw()).isEqualTo(200);
                    assertThat(distances.ids()).hasSize(200);
                }
            }
        }
    }
}
