package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each conjunct is its own stage and sees only the rows the stages before it kept; the order of
 * the stages comes from measured cost and selectivity, so a costly UDF written first ends up
 * after a selective one within a few runs, and explain says so. Results never change.
 */
class ConjunctOrderTest {
    @TempDir Path dir;

    /** rare keeps x % 1000 == 0 (one row in a thousand); costly loops 2,000 times per call and keeps even x. */
    static final String WAT = """
            (module
              (func (export "rare") (param i64) (result i32)
                local.get 0 i64.const 1000 i64.rem_s i64.eqz)
              (func (export "costly") (param i64) (result i32) (local i32)
                (loop $spin
                  local.get 1 i32.const 1 i32.add local.tee 1
                  i32.const 2000 i32.lt_s br_if $spin)
                local.get 0 i64.const 2 i64.rem_s i64.eqz))
            """;

    @Test
    void aCostlyUdfWrittenFirstSeesOnlyTheRowsASelectiveOneKeptAfterAFewRuns() {
        try (TestNode n = new TestNode(dir)) {
            loadWithModule(n);

            String query = "wasm_udf('m.costly', x) AND wasm_udf('m.rare', x)";
            TestNode.Response first = explain(n, query);
            assertThat(first.ids()).containsExactly("d0");
            assertThat(clauses(first)).extracting(c -> c.get("clause")).as("the first run: the written order")
                    .containsExactly(Value.of("wasm_udf('m.costly', x)"), Value.of("wasm_udf('m.rare', x)"));
            assertThat(udfRows(first, "m.costly")).isEqualTo(1000);

            TestNode.Response later = first;
            for (int run = 0; run < 4; run++) {
                later = explain(n, query);
                assertThat(later.ids()).as("order never changes the result").containsExactly("d0");
            }
            List<Value.ObjectValue> clauses = clauses(later);
            assertThat(clauses).extracting(c -> c.get("clause")).as("measured: the selective, cheap one first")
                    .containsExactly(Value.of("wasm_udf('m.rare', x)"), Value.of("wasm_udf('m.costly', x)"));
            assertThat(clauses.get(0).get("position")).isEqualTo(Value.of(1L));
            assertThat(udfRows(later, "m.rare")).isEqualTo(1000);
            assertThat(udfRows(later, "m.costly")).as("costly saw only the rows rare kept").isEqualTo(1);
            Value.ObjectValue costly = clauses.get(1);
            double measured = ((Value.FloatValue) ((Value.ObjectValue) costly.get("cost_ns_per_row")).get("measured")).value();
            double rareMeasured = ((Value.FloatValue) ((Value.ObjectValue) clauses.get(0).get("cost_ns_per_row")).get("measured")).value();
            assertThat(measured).as("costly measured dearer per row than rare").isGreaterThan(rareMeasured);
            assertThat(((Value.ObjectValue) clauses.get(0).get("selectivity")).get("actual")).isEqualTo(Value.of(0.001));
        }
    }

    @Test
    void insideOneConjunctAndAndOrEvaluateAUdfOnlyOnTheRowsStillOpen() {
        try (TestNode n = new TestNode(dir)) {
            loadWithModule(n);

            // one conjunct (an OR at the top): the AND inside calls costly only where rare was not FALSE
            TestNode.Response and = explain(n, "(wasm_udf('m.rare', x) AND wasm_udf('m.costly', x)) OR x < 0");
            assertThat(and.ids()).containsExactly("d0");
            assertThat(udfRows(and, "m.costly")).isEqualTo(1);
            // OR calls costly only where the left side was not TRUE: x = 0..4
            TestNode.Response or = explain(n, "x >= 5 OR wasm_udf('m.costly', x) LIMIT 0");
            assertThat(or.get("total")).isEqualTo(Value.of(998L)); // 5..999 and the even ones below 5
            assertThat(udfRows(or, "m.costly")).isEqualTo(5);
            // NOT over an AND: three-valued logic is unchanged (x missing: the AND is UNKNOWN, so is its NOT)
            n.json("PUT", "/collections/c/docs/nox?refresh=true", "{\"y\":1}");
            TestNode.Response not = explain(n, "NOT (x < 3 AND wasm_udf('m.costly', x)) LIMIT 0");
            assertThat(not.get("total")).isEqualTo(Value.of(998L)); // all but 0 and 2; nox is UNKNOWN
        }
    }

    @Test
    void aDeclaredCostOrdersTheStagesBeforeAnythingIsMeasured() {
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("c", null);
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 1000; i++) bulk.append("{\"_id\":\"d").append(i).append("\",\"x\":").append(i).append("}\n");
            assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
            TestNode.Response reg = n.send("PUT", "/udfs/wasm_udf/m", "application/json",
                    WasmUdfHttpTest.module(WAT, Map.of("rare", "(i64) -> bool", "costly", "cost=2us (i64) -> bool")), true);
            assertThat(reg.status()).as(reg.raw()).isEqualTo(201);
            assertThat(reg.raw()).contains("cost=2000ns (i64) -> bool");

            TestNode.Response first = explain(n, "wasm_udf('m.costly', x) AND wasm_udf('m.rare', x)");
            assertThat(first.ids()).containsExactly("d0");
            List<Value.ObjectValue> clauses = clauses(first);
            assertThat(clauses).extracting(c -> c.get("clause")).as("the first run already: declared cost, rare first")
                    .containsExactly(Value.of("wasm_udf('m.rare', x)"), Value.of("wasm_udf('m.costly', x)"));
            assertThat(((Value.ObjectValue) clauses.get(1).get("cost_ns_per_row")).get("static")).isEqualTo(Value.of(2002.0));
            assertThat(udfRows(first, "m.costly")).isEqualTo(1);
        }
    }

    @Test
    void profileGivesEachTierItsShareOfTheQuerysOneBudget() {
        try (TestNode n = new TestNode(dir)) {
            loadWithModule(n);
            TestNode.Response r = n.send("POST", "/collections/c/query?profile=true&timeout_ms=20000", "text/plain",
                    "x >= 500 AND wasm_udf('m.costly', x) LIMIT 0", false);
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.get("profile", "tiers_ms")).isInstanceOf(Value.ObjectValue.class);
            assertThat(r.get("profile", "budget", "deadline_ms")).isEqualTo(Value.of(20000L));
            Value.ObjectValue shares = (Value.ObjectValue) r.get("profile", "budget", "deadline_shares");
            assertThat(shares.fields().keySet()).contains("wasm_udf", "index", "rank", "fetch", "parse_and_plan");
            double sum = shares.fields().values().stream().mapToDouble(v -> ((Value.FloatValue) v).value()).sum();
            assertThat(sum).as("the parts share one budget").isGreaterThan(0).isLessThanOrEqualTo(1.0);
            assertThat(((Value.IntValue) r.get("profile", "budget", "memory_limit_bytes")).value()).isPositive();
        }
    }

    /** Documents d0..d999 with x = 0..999, and the module m with rare and costly. */
    private static void loadWithModule(TestNode n) {
        n.createCollection("c", null);
        StringBuilder bulk = new StringBuilder();
        for (int i = 0; i < 1000; i++) bulk.append("{\"_id\":\"d").append(i).append("\",\"x\":").append(i).append("}\n");
        assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
        TestNode.Response reg = n.send("PUT", "/udfs/wasm_udf/m", "application/json",
                WasmUdfHttpTest.module(WAT, Map.of("rare", "(i64) -> bool", "costly", "(i64) -> bool")), true);
        assertThat(reg.status()).as(reg.raw()).isEqualTo(201);
    }

    private static TestNode.Response explain(TestNode n, String query) {
        TestNode.Response r = n.send("POST", "/collections/c/query?explain=true", "text/plain", query, false);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    private static List<Value.ObjectValue> clauses(TestNode.Response r) {
        return ((Value.ArrayValue) r.get("explain", "clauses")).elements().stream().map(v -> (Value.ObjectValue) v).toList();
    }

    private static long udfRows(TestNode.Response r, String function) {
        for (Value v : ((Value.ArrayValue) r.get("explain", "udfs")).elements()) {
            Value.ObjectValue u = (Value.ObjectValue) v;
            if (u.get("function").equals(Value.of(function))) return ((Value.IntValue) u.get("documents")).value();
        }
        throw new AssertionError("no UDF " + function + " in " + r.raw());
    }
}
