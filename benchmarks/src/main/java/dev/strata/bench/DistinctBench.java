package dev.strata.bench;

import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.spi.UdfStats;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code ./strata bench distinct [DOCS]}: a WASM UDF over {@code category} (20 distinct values) on
 * DOCS documents (default 1,000,000) in several segments, the same body declared {@code
 * deterministic} (called once per distinct value) and volatile (called per row), in one run. Two
 * bodies: {@code hash} (100 rounds of FNV over the string, a few hundred ns per call) and {@code
 * len} (returns the length: the call itself is all the cost). Both declarations must count the
 * same matches, and the deterministic one must make no more calls than there are distinct values,
 * or the bench fails.
 */
public final class DistinctBench {
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
              (func (export "free") (param i32 i32) (global.set $top (i32.const 1024)))
              (func $hash (param $p i32) (param $n i32) (result i64) (local $r i32) (local $i i32) (local $h i64)
                (local.set $h (i64.const 1469598103934665603))
                (loop $round
                  (local.set $i (i32.const 0))
                  (block $done (loop $byte
                    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                    (local.set $h (i64.mul (i64.xor (local.get $h) (i64.load8_u (i32.add (local.get $p) (local.get $i))))
                                           (i64.const 1099511628211)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br $byte)))
                  (local.set $r (i32.add (local.get $r) (i32.const 1)))
                  (br_if $round (i32.lt_u (local.get $r) (i32.const 100))))
                (i64.and (i64.shr_u (local.get $h) (i64.const 29)) (i64.const 7)))
              (func (export "hash_d") (param i32 i32) (result i64) (call $hash (local.get 0) (local.get 1)))
              (func (export "hash_v") (param i32 i32) (result i64) (call $hash (local.get 0) (local.get 1)))
              (func (export "len_d") (param i32 i32) (result i64) (i64.extend_i32_u (local.get 1)))
              (func (export "len_v") (param i32 i32) (result i64) (i64.extend_i32_u (local.get 1))))
            """;
    static final Map<String, String> SIGNATURES = Map.of("hash_d", "deterministic (string) -> i64", "hash_v", "(string) -> i64",
            "len_d", "deterministic (string) -> i64", "len_v", "(string) -> i64");
    static final String[] CATEGORIES = {"phones", "laptops", "audio", "tv", "cameras", "books", "toys", "garden", "kitchen",
        "sports", "music", "games", "office", "pets", "tools", "auto", "beauty", "health", "baby", "food"};

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path dir = Files.createTempDirectory("strata-distinct-bench");
        try (Node node = Node.open(NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO))) {
            Collection c = BenchCollections.load(node, n, 250_000, i -> new Collection.Document("d" + i, (Value.ObjectValue) Json.parse(
                    "{\"category\":\"" + CATEGORIES[(int) ((i * 2654435761L) % 20)] + "\",\"x\":" + i + "}"))); // a segment per 250,000
            node.queries().tiers().modules("wasm_udf").register(new UdfModuleSource("m", WAT.getBytes(StandardCharsets.UTF_8), "wat", "1",
                    "", SIGNATURES, Map.of()));
            node.queries().udfModulesChanged();
            QueryService q = node.queries();
            int segments = c.snapshot().segments().size();

            System.out.println();
            System.out.printf(Locale.ROOT, "%,d documents in %d segment(s), category with 20 distinct values; ms per query (median of 5)%n",
                    n, segments);
            System.out.println("| function | deterministic (once per value) | volatile (per row) | speed-up | calls, deterministic | calls, volatile |");
            System.out.println("|---|---|---|---|---|---|");
            for (String fn : List.of("hash", "len")) {
                String det = "wasm_udf('m." + fn + "_d', category) = " + (fn.equals("len") ? 4 : 3) + " LIMIT 0";
                String vol = "wasm_udf('m." + fn + "_v', category) = " + (fn.equals("len") ? 4 : 3) + " LIMIT 0";
                long expected = q.run(c, vol, true).result().total();
                long[] detCalls = new long[1];
                long[] volCalls = new long[1];
                double d = median(() -> detCalls[0] = calls(q, c, det, expected));
                double v = median(() -> volCalls[0] = calls(q, c, vol, expected));
                if (detCalls[0] > 20L + 1) throw new IllegalStateException(det + " made " + detCalls[0] + " calls for 20 distinct values");
                if (volCalls[0] != n) throw new IllegalStateException(vol + " made " + volCalls[0] + " calls for " + n + " rows");
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1fx | %d (%.1f per segment) | %,d |%n",
                        fn, d, v, v / d, detCalls[0], (double) detCalls[0] / segments, volCalls[0]);
            }
        }
    }

    /** Runs the query, checks its count and returns the rows the guest evaluated (one call per row for a scalar function). */
    private static long calls(QueryService q, Collection c, String text, long expected) {
        QueryService.Outcome o = q.run(c, text, true);
        if (o.result().total() != expected) throw new IllegalStateException(text + " counted " + o.result().total() + ", expected " + expected);
        if (expected <= 0) throw new IllegalStateException(text + " matched nothing");
        return o.run().udfStats().values().stream().mapToLong(UdfStats::rows).sum();
    }

    private static double median(Timing.Timed r) throws Exception { return Timing.medianMillis(5, 0, 5, r); }
}
