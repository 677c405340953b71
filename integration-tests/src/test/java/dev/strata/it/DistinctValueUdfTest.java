package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A function declared {@code deterministic} is called once per distinct argument value in a run
 * (rows, batches and segments that meet a value again reuse its result); its answers are the same
 * as those of the same body declared volatile. A declaration the module cannot keep is refused.
 */
class DistinctValueUdfTest {
    @TempDir Path dir;

    /** len and len_v: the string's length in bytes; shout: the string with its first byte upper-cased; sq and sq_v: x * x. */
    static final String WAT = """
            (module
              (memory (export "memory") 1)
              (global $top (mut i32) (i32.const 1024))
              (func $alloc (export "alloc") (param $n i32) (result i32) (local $p i32)
                (local.set $p (global.get $top))
                (global.set $top (i32.add (global.get $top) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
                (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
                  (then (drop (memory.grow (i32.const 1)))))
                (local.get $p))
              (func (export "free") (param i32 i32))
              (func (export "len") (param $p i32) (param $n i32) (result i64) (i64.extend_i32_u (local.get $n)))
              (func (export "len_v") (param $p i32) (param $n i32) (result i64) (i64.extend_i32_u (local.get $n)))
              (func (export "shout") (param $p i32) (param $n i32) (result i64) (local $q i32)
                (local.set $q (call $alloc (local.get $n)))
                (memory.copy (local.get $q) (local.get $p) (local.get $n))
                (if (i32.gt_u (local.get $n) (i32.const 0)) (then
                  (i32.store8 (local.get $q) (i32.sub (i32.load8_u (local.get $q)) (i32.const 32)))))
                (i64.or (i64.shl (i64.extend_i32_u (local.get $q)) (i64.const 32)) (i64.extend_i32_u (local.get $n))))
              (func (export "sq") (param i64) (result i64) (i64.mul (local.get 0) (local.get 0)))
              (func (export "sq_v") (param i64) (result i64) (i64.mul (local.get 0) (local.get 0))))
            """;

    static final Map<String, String> SIGNATURES = Map.of("len", "deterministic (string) -> i64", "len_v", "(string) -> i64",
            "shout", "deterministic (string) -> string", "sq", "deterministic (i64) -> i64", "sq_v", "volatile (i64) -> i64");

    static final String[] CATEGORIES = {"phones", "laptops", "audio", "tv", "cameras", "books", "toys", "garden", "kitchen",
        "sports", "music", "games", "office", "pets", "tools", "auto", "beauty", "health", "baby", "food"};

    @Test
    void aDeterministicUdfIsCalledOncePerDistinctValueAndAnswersAsTheVolatileOne() {
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("c", null);
            // three segments (a refresh after each bulk), 20 categories, 7 quantities, some documents without category
            for (int part = 0; part < 3; part++) {
                StringBuilder bulk = new StringBuilder();
                for (int i = part * 1000; i < (part + 1) * 1000; i++) {
                    bulk.append("{\"_id\":\"d").append(i).append("\",\"qty\":").append(i % 7);
                    if (i % 50 != 0) bulk.append(",\"category\":\"").append(CATEGORIES[i % 20]).append('"');
                    bulk.append("}\n");
                }
                assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status())
                        .isEqualTo(200);
            }
            TestNode.Response reg = n.send("PUT", "/udfs/wasm_udf/m", "application/json", WasmUdfHttpTest.module(WAT, SIGNATURES), true);
            assertThat(reg.status()).as(reg.raw()).isEqualTo(201);

            TestNode.Response d = explain(n, "wasm_udf('m.len', category) = 6 LIMIT 0");
            TestNode.Response v = explain(n, "wasm_udf('m.len_v', category) = 6 LIMIT 0");
            assertThat(d.get("total")).isEqualTo(v.get("total"));
            assertThat(((Value.IntValue) d.get("total")).value()).isGreaterThan(0);
            Value.ObjectValue len = udf(d, "m.len");
            assertThat(count(len, "documents")).as("one call per distinct category and one for the missing ones, over three segments")
                    .isLessThanOrEqualTo(21);
            assertThat(count(len, "documents") + count(len, "reused")).isEqualTo(3000);
            assertThat(count(udf(v, "m.len_v"), "documents")).as("volatile: every row").isEqualTo(3000);

            // string results, mapped back to every row of their value
            TestNode.Response shout = explain(n, "wasm_udf('m.shout', category) = 'Phones' ORDER BY _id LIMIT 3");
            assertThat(shout.ids()).containsExactly("d1020", "d1040", "d1060");
            assertThat(count(udf(shout, "m.shout"), "documents")).isLessThanOrEqualTo(21);

            // a UDF in SELECT: computed for the page's hits only
            TestNode.Response selected = explain(n, "SELECT wasm_udf('m.shout', category) AS loud, qty WHERE _id = 'd1'");
            Value.ObjectValue hit = (Value.ObjectValue) ((Value.ArrayValue) selected.get("hits")).elements().get(0);
            assertThat(hit.get("fields")).isEqualTo(new Value.ObjectValue(Map.of("loud", Value.of("Laptops"), "qty", Value.of(1L))));

            // numbers go through the value-keyed grouping: 7 distinct quantities
            TestNode.Response sq = explain(n, "wasm_udf('m.sq', qty) >= 16 LIMIT 0");
            TestNode.Response sqV = explain(n, "wasm_udf('m.sq_v', qty) >= 16 LIMIT 0");
            assertThat(sq.get("total")).isEqualTo(sqV.get("total"));
            assertThat(count(udf(sq, "m.sq"), "documents")).isLessThanOrEqualTo(7);
            assertThat(count(udf(sqV, "m.sq_v"), "documents")).isEqualTo(3000);

            // inside an expression and beside other conjuncts, results stay exact
            TestNode.Response mixed = explain(n, "qty = 3 AND wasm_udf('m.len', category) + wasm_udf('m.sq', qty) > 14 LIMIT 0");
            TestNode.Response mixedV = explain(n, "qty = 3 AND wasm_udf('m.len_v', category) + wasm_udf('m.sq_v', qty) > 14 LIMIT 0");
            assertThat(mixed.get("total")).isEqualTo(mixedV.get("total"));
        }
    }

    @Test
    void aDeterministicDeclarationTheModuleCannotKeepIsRefused() {
        try (TestNode n = new TestNode(dir)) {
            String readsDocument = """
                    (module
                      (import "strata" "get_i64" (func $get (param i32 i64) (result i64)))
                      (func (export "f") (param i64) (result i64) (call $get (i32.const 0) (local.get 0))))
                    """;
            TestNode.Response r = n.send("PUT", "/udfs/wasm_udf/reads", "application/json",
                    WasmUdfHttpTest.module(readsDocument, Map.of("f", "deterministic (i64) -> i64")), true);
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.raw()).contains("'f' is declared deterministic, but the module imports strata.get_i64")
                    .contains("declare it volatile");

            String both = WasmUdfHttpTest.module(WAT, Map.of("sq", "deterministic volatile (i64) -> i64"));
            TestNode.Response r2 = n.send("PUT", "/udfs/wasm_udf/both", "application/json", both, true);
            assertThat(r2.status()).isEqualTo(400);
            assertThat(r2.raw()).contains("either deterministic or volatile, not both");

            TestNode.Response r3 = n.send("PUT", "/udfs/wasm_udf/typo", "application/json",
                    WasmUdfHttpTest.module(WAT, Map.of("sq", "determinstic (i64) -> i64")), true);
            assertThat(r3.status()).isEqualTo(400);
            assertThat(r3.raw()).contains("unknown word 'determinstic'");

            // the same body declared volatile registers
            TestNode.Response ok = n.send("PUT", "/udfs/wasm_udf/reads", "application/json",
                    WasmUdfHttpTest.module(readsDocument, Map.of("f", "volatile (i64) -> i64")), true);
            assertThat(ok.status()).as(ok.raw()).isEqualTo(201);
        }
    }

    private static TestNode.Response explain(TestNode n, String query) {
        TestNode.Response r = n.send("POST", "/collections/c/query?explain=true", "text/plain", query, false);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    private static Value.ObjectValue udf(TestNode.Response r, String function) {
        for (Value v : ((Value.ArrayValue) r.get("explain", "udfs")).elements()) {
            Value.ObjectValue u = (Value.ObjectValue) v;
            if (u.get("function").equals(Value.of(function))) return u;
        }
        throw new AssertionError("no UDF " + function + " in " + r.raw());
    }

    private static long count(Value.ObjectValue udf, String what) { return ((Value.IntValue) udf.get(what)).value(); }
}
