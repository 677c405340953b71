package dev.strata.bench;

import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.exec.QueryService;
import dev.strata.node.storage.Collection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./strata bench order [DOCS]}: two WASM UDF conjuncts over DOCS documents (default
 * 1,000,000), {@code costly} (10,000 steps of a multiplicative hash per call, about a microsecond
 * once compiled, keeps about half) and {@code rare} (keeps one
 * in a thousand), written in both orders, in one run:
 * <ul>
 *   <li>planned: the node as it runs queries, ordering stages by measured cost (after a few runs
 *       that measure them);</li>
 *   <li>written order: the stages in the order the query is written, nothing measured (what a
 *       fixed order gives);</li>
 *   <li>best order: rare first, written so and run unmeasured.</li>
 * </ul>
 * Every variant must count the same matches, or the bench fails.
 */
public final class OrderBench {
    static final String WAT = """
            (module
              (func (export "rare") (param i64) (result i32)
                local.get 0 i64.const 1000 i64.rem_s i64.eqz)
              (func (export "costly") (param i64) (result i32) (local i32) (local i64)
                local.get 0 local.set 2
                (loop $spin ;; a hash the JIT cannot drop: its value decides the result
                  local.get 2 i64.const 6364136223846793005 i64.mul i64.const 1442695040888963407 i64.add local.set 2
                  local.get 1 i32.const 1 i32.add local.tee 1
                  i32.const 10000 i32.lt_s br_if $spin)
                local.get 2 i64.const 17 i64.shr_u i64.const 1 i64.and i64.eqz))
            """;
    static final String COSTLY_FIRST = "wasm_udf('m.costly', x) AND wasm_udf('m.rare', x) LIMIT 0";
    static final String RARE_FIRST = "wasm_udf('m.rare', x) AND wasm_udf('m.costly', x) LIMIT 0";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path dir = Files.createTempDirectory("strata-order-bench");
        try (Node node = Node.open(NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO))) {
            Collection c = BenchCollections.load(node, n, 0,
                    i -> new Collection.Document("d" + i, (Value.ObjectValue) Json.parse("{\"x\":" + i + "}")));
            node.queries().tiers().modules("wasm_udf").register(new UdfModuleSource("m", WAT.getBytes(StandardCharsets.UTF_8), "wat", "1",
                    "", Map.of("rare", "(i64) -> bool", "costly", "(i64) -> bool"), Map.of()));
            node.queries().udfModulesChanged();
            var plan = node.queries().plan(c.name(), c.snapshot(), RARE_FIRST, true);
            long expected = new dev.strata.node.exec.QueryExecutor(plan).execute(c.snapshot()).total(); // every variant must count this
            if (expected <= 0 || expected > n / 1000 + 1) throw new IllegalStateException("rare AND costly counted " + expected);
            QueryService q = node.queries();

            double unmeasuredCostlyFirst = median(() -> fresh(node, c, COSTLY_FIRST, expected));
            double best = median(() -> fresh(node, c, RARE_FIRST, expected));
            for (int i = 0; i < 3; i++) total(q, c, COSTLY_FIRST, expected); // the node measures both conjuncts
            double plannedCostlyFirst = median(() -> total(q, c, COSTLY_FIRST, expected));
            double plannedRareFirst = median(() -> total(q, c, RARE_FIRST, expected));

            double costlyAlone = median(() -> fresh(node, c, "wasm_udf('m.costly', x) LIMIT 0", -1));
            double rareAlone = median(() -> fresh(node, c, "wasm_udf('m.rare', x) LIMIT 0", -1));
            System.out.println();
            System.out.printf(Locale.ROOT, "per call, alone over every document: costly %.0f ns, rare %.1f ns%n", costlyAlone * 1e6 / n, rareAlone * 1e6 / n);
            System.out.printf(Locale.ROOT, "%,d documents; %s and %s; ms per query (median of 5), ratio to the best order%n", n,
                    "costly: 10,000 hash steps, keeps about 1/2", "rare: keeps 1/1000");
            System.out.println("| query as written | planned (measured order) | written order (unmeasured) | best order (rare first) |");
            System.out.println("|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| costly AND rare | %.1f (%.2fx) | %.1f (%.2fx) | %.1f |%n",
                    plannedCostlyFirst, plannedCostlyFirst / best, unmeasuredCostlyFirst, unmeasuredCostlyFirst / best, best);
            System.out.printf(Locale.ROOT, "| rare AND costly | %.1f (%.2fx) | %.1f (1.00x) | %.1f |%n",
                    plannedRareFirst, plannedRareFirst / best, best, best);
            System.out.printf(Locale.ROOT, "planned vs written order, costly written first: %.1fx faster%n", unmeasuredCostlyFirst / plannedCostlyFirst);
        }
    }

    /** Runs on the node's query service: its measurements order the stages. */
    private static void total(QueryService q, Collection c, String text, long expected) {
        long t = q.run(c, text, true).result().total();
        if (t != expected) throw new IllegalStateException(text + " counted " + t + ", expected " + expected);
    }

    /** Runs with nothing measured: the stages in written order (both have the same static cost). */
    private static void fresh(Node node, Collection c, String text, long expected) {
        var plan = node.queries().plan(c.name(), c.snapshot(), text, true);
        long t = new dev.strata.node.exec.QueryExecutor(plan).execute(c.snapshot()).total();
        if (expected >= 0 && t != expected) throw new IllegalStateException(text + " counted " + t + ", expected " + expected);
    }

    private static double median(Timing.Timed r) throws Exception { return Timing.medianMillis(1, 0, 5, r); }
}
