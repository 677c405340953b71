package dev.strata.bench;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.exec.QueryService;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The data node's bench command ({@code ./strata bench node [docs]}): on generated documents
 * (the scan benchmark's data set), bulk ingest through the write-ahead log in both durability
 * modes, then the query with the category index and as a forced full scan, alone and
 * under two concurrent clients, and the cost of a cached plan. One run, one table.
 */
public final class NodeBench {
    static final String QUERY = ScanData.QUERY + " ORDER BY price DESC LIMIT 10";
    static final int BULK = 10_000;

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        ScanData data = new ScanData(n);
        List<String> lines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) lines.add(Json.write(data.docs.get(i)));
        List<String[]> rows = new ArrayList<>();

        for (Collection.Durability mode : Collection.Durability.values()) {
            Path dir = Files.createTempDirectory("strata-bench-");
            try (Node node = Node.open(NodeConfig.defaults(dir).withDurability(mode).withRefreshInterval(Duration.ZERO)
                    .withCheckpointBytes(Long.MAX_VALUE))) {
                Collection c = node.create("bench", Mappings.NONE);
                long t0 = System.nanoTime();
                for (int from = 0; from < n; from += BULK) {
                    List<Collection.Document> docs = new ArrayList<>(BULK);
                    for (int i = from; i < Math.min(n, from + BULK); i++) {
                        docs.add(Collection.document(Json.parseDocument(lines.get(i))));
                    }
                    c.putAll(docs);
                }
                double ingest = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                c.refresh();
                double seal = (System.nanoTime() - t1) / 1e9;
                String label = mode == Collection.Durability.SYNC ? "durable (fsync per bulk of 10k)" : "relaxed (fsync every 200 ms)";
                rows.add(new String[] {"bulk ingest, " + label, String.format(Locale.ROOT, "%,.0f docs/s", n / ingest),
                        "target >= 20,000 docs/s"});
                if (mode == Collection.Durability.SYNC) {
                    rows.add(new String[] {"seal 1 segment + indexes (refresh)", String.format(Locale.ROOT, "%,.0f docs/s", n / seal), ""});
                    queries(node, c, n, rows);
                }
            } finally {
                deleteTree(dir);
            }
        }
        System.out.println();
        System.out.println("| measure (" + String.format(Locale.ROOT, "%,d", n) + " documents) | result | note |");
        System.out.println("|---|---|---|");
        for (String[] r : rows) System.out.println("| " + r[0] + " | " + r[1] + " | " + r[2] + " |");
    }

    private static void queries(Node node, Collection c, int n, List<String[]> rows) throws Exception {
        QueryService qs = node.queries();
        long total = qs.run(c, QUERY, true).result().total();
        if (total != qs.run(c, QUERY, false).result().total()) throw new IllegalStateException("index and scan disagree");
        long[] index = latencies(qs, c, true, 300, 1500);
        long[] scan = latencies(qs, c, false, 30, 150);
        double perM = 1_000_000.0 / n;
        rows.add(new String[] {"query with category index, 1 client: p50 / p99", ms(index, 50, perM) + " / " + ms(index, 99, perM) + " ms per 1M docs",
                "target <= 1 ms per 1M docs; " + total + " matches"});
        rows.add(new String[] {"same query as a forced full scan, 1 client: p50 / p99", ms(scan, 50, perM) + " / " + ms(scan, 99, perM) + " ms per 1M docs",
                String.format(Locale.ROOT, "index is %.1fx faster at p50", pct(scan, 50) / (double) pct(index, 50))});
        long[][] both = concurrent(qs, c, true, 1500);
        long[][] bothScan = concurrent(qs, c, false, 150);
        rows.add(new String[] {"query with index, 2 concurrent clients: p50 / p99", ms(merge(both), 50, perM) + " / " + ms(merge(both), 99, perM) + " ms per 1M docs", ""});
        rows.add(new String[] {"forced full scan, 2 concurrent clients: p50 / p99", ms(merge(bothScan), 50, perM) + " / " + ms(merge(bothScan), 99, perM) + " ms per 1M docs", ""});
        // a cached plan: parse and plan skipped, only the lookup
        int reps = 2_000_000;
        for (int i = 0; i < reps; i++) qs.plan("bench", c.snapshot(), QUERY, true);
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) qs.plan("bench", c.snapshot(), QUERY, true);
        double perPlan = (System.nanoTime() - t0) / (double) reps;
        rows.add(new String[] {"cached plan lookup", String.format(Locale.ROOT, "%.0f ns", perPlan), "target <= 500 ns"});
    }

    private static long[] latencies(QueryService qs, Collection c, boolean index, int warm, int runs) {
        for (int i = 0; i < warm; i++) qs.run(c, QUERY, index);
        long[] out = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            qs.run(c, QUERY, index);
            out[i] = System.nanoTime() - t;
        }
        Arrays.sort(out);
        return out;
    }

    private static long[][] concurrent(QueryService qs, Collection c, boolean index, int runs) throws Exception {
        long[][] out = new long[2][];
        Thread[] threads = new Thread[2];
        for (int t = 0; t < 2; t++) {
            final int k = t;
            threads[t] = new Thread(() -> out[k] = latencies(qs, c, index, runs / 5, runs));
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        return out;
    }

    private static long[] merge(long[][] parts) {
        long[] all = Arrays.copyOf(parts[0], parts[0].length + parts[1].length);
        System.arraycopy(parts[1], 0, all, parts[0].length, parts[1].length);
        Arrays.sort(all);
        return all;
    }

    private static long pct(long[] sorted, int p) { return sorted[Math.min(sorted.length - 1, (int) (sorted.length * p / 100.0))]; }

    private static String ms(long[] sorted, int p, double scale) {
        return String.format(Locale.ROOT, "%.3f", pct(sorted, p) * scale / 1e6);
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
