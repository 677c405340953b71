package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attacker's afternoon against a real node in its own JVM with a 512 MB heap: huge UDF results,
 * field-handle floods, key-as-data documents, unbounded error texts. Each case must fail with its
 * documented code and message, and afterwards the node must be well: {@code /health} ok, nothing
 * held by requests, the heap back near where it was, a new write visible to queries, correct
 * queries still correct.
 */
class HostileNodeTest {
    /** Heap that a case may leave behind without it being a leak (GC and JIT noise). */
    private static final long HEAP_SLACK = 64L << 20;

    @TempDir static Path dir;
    static ChildNode node;
    static long baseline;
    static int canary;

    @BeforeAll
    static void start() {
        node = ChildNode.start(dir.resolve("node"), List.of("-Xmx512m"), "--refresh-interval-ms", "200", "--query-memory-mb", "128",
                "--tier-setting", "wasm.result.max-bytes=33554432", "--tier-setting", "wasm.memory.max-pages=256",
                "--tier-setting", "wasm.pool.max-instances=2");
        node.createCollection("canary", null);
        node.createCollection("docs", null);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 5000; i++) bulk.append("{\"_id\":\"d").append(i).append("\",\"s\":\"v").append(i % 7).append("\",\"n\":").append(i).append("}\n");
        assertThat(node.send("POST", "/collections/docs/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
        assertWell();
        baseline = node.liveHeapAfterGc();
    }

    @AfterAll
    static void stop() { node.close(); }

    /** The node is well: healthy, holding nothing for requests, writes become visible, queries answer right. */
    static void assertWell() {
        TestNode.Response health = node.awaitHealthy();
        assertThat(health.get("status")).isEqualTo(Value.of("ok"));
        assertThat(node.get("/stats").get("memory", "requests_reserved_bytes")).as("budgets given back").isEqualTo(Value.of(0L));
        String id = "c" + (canary++);
        assertThat(node.send("PUT", "/collections/canary/docs/" + id, "application/json", "{\"k\":1}", false).status()).isEqualTo(201);
        node.await("/collections/canary/query?q=_id%20%3D%20'" + id + "'", r -> r.status() == 200 && r.get("total").equals(Value.of(1L)));
        TestNode.Response q = node.query("docs", "n >= 4990 AND s = 'v1' ORDER BY n");
        assertThat(q.ids()).containsExactly("d4992", "d4999");
    }

    static void assertHeapNearBaseline() {
        long live = node.liveHeapAfterGc();
        assertThat(live).as("live heap after a full collection, against " + baseline + " at the start").isLessThan(baseline + HEAP_SLACK);
    }

    static void register(String name, String wat, String signatures) {
        String body = "{\"format\":\"wat\",\"content\":" + Json.write(Value.of(wat)) + ",\"signatures\":" + signatures + "}";
        TestNode.Response r = node.send("PUT", "/udfs/wasm_udf/" + name, "application/json", body, true);
        assertThat(r.status()).as(r.raw()).isIn(200, 201);
    }

    static final String GREEDY = """
            (module
              (import "strata" "field" (func $field (param i32 i32) (result i32)))
              (memory (export "memory") 256)
              (global $top (mut i32) (i32.const 65536))
              (func (export "alloc") (param $n i32) (result i32) (local $p i32)
                (local.set $p (global.get $top))
                (global.set $top (i32.add (global.get $top) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
                (if (i32.gt_u (global.get $top) (i32.const 1048576)) (then
                  (global.set $top (i32.add (i32.const 65536) (local.get $n)))
                  (local.set $p (i32.const 65536))))
                (local.get $p))
              (func (export "free") (param i32 i32))
              (func (export "big") (param i32 i32) (result i64) (i64.const 16711680))
              (func (export "huge") (param i32 i32) (result i64) (i64.const 41943040))
              (func (export "name") (param $p i32) (param $n i32) (result i32) (call $field (local.get $p) (local.get $n))))
            """;

    @Test
    void hugeWasmStringResultsTripTheQueryBudgetOrTheResultCapAndTheNodeStaysWell() {
        register("big", GREEDY, "{\"big\":\"(string) -> string\",\"huge\":\"(string) -> string\",\"name\":\"(string) -> i32\"}");
        // two at once, as in the report that exhausted a 1 GB heap
        List<CompletableFuture<TestNode.Response>> running = new ArrayList<>();
        for (int i = 0; i < 2; i++) running.add(CompletableFuture.supplyAsync(() -> node.query("docs", "length(wasm_udf('big.big', s)) > 0")));
        for (CompletableFuture<TestNode.Response> f : running) {
            TestNode.Response r = f.join();
            assertThat(r.status()).as(r.raw()).isEqualTo(429);
            assertThat(r.error()).isEqualTo("RESOURCE_EXHAUSTED");
            assertThat(r.message()).contains("this request's memory budget of 128 MiB is exhausted: "
                    + "wasm_udf('big.big') string results needs");
        }
        TestNode.Response capped = node.query("docs", "length(wasm_udf('big.huge', s)) > 0");
        assertThat(capped.status()).as(capped.raw()).isEqualTo(400);
        assertThat(capped.error()).isEqualTo("UDF_FAILED");
        assertThat(capped.message()).contains("wasm_udf('big.huge') failed on document 'd0': it returned a string"
                + " of 40 MiB; a result is at most 32 MiB (setting wasm.result.max-bytes)");
        assertThat(node.get("/stats").get("memory", "trips")).isNotEqualTo(Value.of(0L));
        assertWell();
        assertHeapNearBaseline();
    }

    @Test
    void aModuleAskingForEverNewFieldNamesHitsItsHandleCap() {
        register("names", GREEDY, "{\"big\":\"(string) -> string\",\"huge\":\"(string) -> string\",\"name\":\"(string) -> i32\"}");
        TestNode.Response r = node.query("docs", "wasm_udf('names.name', _id) >= 0");
        assertThat(r.status()).as(r.raw()).isEqualTo(400);
        assertThat(r.message()).contains("wasm_udf('names.name') failed on document 'd4096': it asked for a"
                + " handle for more than 4096 distinct field paths (the limit per module version, setting wasm.field-handles.max)");
        TestNode.Response longPath = node.query("docs", "wasm_udf('names.name', concat(s, '" + "p".repeat(1100) + "')) >= 0");
        assertThat(longPath.message()).contains("a field path of 1102 bytes; a path is at most 1024 bytes");
        TestNode.Response described = node.get("/udfs/wasm_udf/names");
        assertThat(described.get("details", "fieldHandles")).isEqualTo(Value.of(4096L));
        assertWell();
        assertHeapNearBaseline();
    }

    @Test
    void keyAsDataDocumentsAreRefusedPastTheFieldLimitAndNothingIsStranded() {
        node.createCollection("scores", null);
        TestNode.Response r = node.send("POST", "/collections/scores/bulk", "application/x-ndjson", keyAsData(10_000), false);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        // {"_id", "scores"} plus ten keys each: 1 + 10 per document; the 1,000-path limit takes 99 documents
        assertThat(r.get("indexed")).isEqualTo(Value.of(99L));
        assertThat(r.get("failed")).isEqualTo(Value.of(9_901L));
        assertThat(r.get("errors_shown")).isEqualTo(Value.of(100L));
        assertThat(r.raw().length()).as("the reply stays small").isLessThan(100_000);
        Value.ObjectValue first = (Value.ObjectValue) ((Value.ArrayValue) r.get("errors")).elements().get(0);
        assertThat(first.get("code")).isEqualTo(Value.of("FIELD_LIMIT_EXCEEDED"));
        assertThat(((Value.StringValue) first.get("message")).value()).contains("document 'e99' would add the field 'scores.user990' and 9 more to collection"
                + " 'scores', which has 991 distinct field paths; its limit is 1000 (max_fields)");
        assertThat(node.send("POST", "/collections/scores/refresh", null, null, false).status()).isEqualTo(200);
        assertThat(node.query("scores", "scores.user5 = 5").ids()).containsExactly("e0");
        assertThat(node.send("DELETE", "/collections/scores", null, null, true).status()).isEqualTo(200);
        assertWell();
    }

    @Test
    void aCollectionWithARaisedFieldLimitHoldsWideDocumentsSparselyAndRestarts() {
        // its own node: this one is killed and restarted
        Path wideDir = dir.resolve("wide");
        try (ChildNode wide = ChildNode.start(wideDir, List.of("-Xmx512m"))) {
            wide.createCollection("wide", "{\"max_fields\": 200000}");
            TestNode.Response r = wide.send("POST", "/collections/wide/bulk", "application/x-ndjson", keyAsData(10_000), false);
            assertThat(r.get("indexed")).as(r.raw()).isEqualTo(Value.of(10_000L));
            assertThat(wide.send("POST", "/collections/wide/refresh", null, null, false).status()).isEqualTo(200);
            assertThat(wide.query("wide", "scores.user99995 = 99995").ids()).containsExactly("e9999");
            assertThat(wide.get("/collections/wide").get("field_paths")).isEqualTo(Value.of(100_001L));
            assertThat(wide.awaitHealthy().get("status")).isEqualTo(Value.of("ok"));
            wide.kill();
        }
        try (ChildNode again = ChildNode.start(wideDir, List.of("-Xmx512m"))) {
            assertThat(again.query("wide", "scores.user99995 = 99995").ids()).containsExactly("e9999");
            assertThat(again.query("wide", "exists(scores.user7)").ids()).containsExactly("e0");
            assertThat(again.get("/collections/wide").get("documents")).isEqualTo(Value.of(10_000L));
        }
    }

    /** Documents whose keys are data: {"_id":"eN","scores":{"user(10N+k)": 10N+k}} for k in 0..9. */
    static String keyAsData(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"_id\":\"e").append(i).append("\",\"scores\":{");
            for (int k = 0; k < 10; k++) {
                int u = i * 10 + k;
                if (k > 0) b.append(',');
                b.append("\"user").append(u).append("\":").append(u);
            }
            b.append("}}\n");
        }
        return b.toString();
    }

    @Test
    void errorRepliesStayBounded() {
        node.createCollection("bad", null);
        TestNode.Response r = node.send("POST", "/collections/bad/bulk", "application/x-ndjson", "x\n".repeat(1_000_000), false);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.get("failed")).isEqualTo(Value.of(1_000_000L));
        assertThat(r.get("errors_shown")).isEqualTo(Value.of(100L));
        assertThat(r.raw().length()).isLessThan(50_000);
        assertWell();
    }
}
