package dev.strata.bench.storage;

import dev.strata.bench.Timing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./strata bench storage [docs] [--heap SIZE]}: generated shop documents (see
 * {@link ShopData}) loaded into a real node process with {@code strata load}, against DuckDB
 * ({@code read_json_auto} into a table, one thread) in the same run. Reports load rate, heap
 * after a full GC, resident memory, directory size, the time from process start to the first
 * correct query after a clean stop and after a kill, and the queries side by side with
 * ratios. Every query's total is checked against DuckDB's before it is timed; a mismatch or a
 * failed step ends the run with a non-zero status.
 */
public final class StorageBench {
    record Query(String label, String strata, String duckdb) {}

    static final List<Query> QUERIES = List.of(
            new Query("title LIKE '%smart%' (count)", "title LIKE '%smart%' LIMIT 0", "SELECT count(*) FROM t WHERE title LIKE '%smart%'"),
            new Query("title ILIKE '%SMART%pro%' (count)", "title ILIKE '%SMART%pro%' LIMIT 0", "SELECT count(*) FROM t WHERE title ILIKE '%SMART%pro%'"),
            new Query("price * qty > 500 AND category = 'phones' ORDER BY price DESC LIMIT 10",
                    "price * qty > 500 AND category = 'phones' ORDER BY price DESC LIMIT 10",
                    "SELECT count(*) FROM (SELECT * FROM t WHERE price * qty > 500 AND category = 'phones' ORDER BY price DESC LIMIT 10)"),
            new Query("tags = 'red' AND price BETWEEN 10 AND 20 (count)", "tags = 'red' AND price BETWEEN 10 AND 20 LIMIT 0",
                    "SELECT count(*) FROM t WHERE list_contains(tags, 'red') AND price BETWEEN 10 AND 20"));
    static final String TOTAL_CHECK = "SELECT count(*) FROM t WHERE price * qty > 500 AND category = 'phones'";

    public static void main(String[] args) throws Exception {
        long n = 2_000_000;
        List<String> jvm = new ArrayList<>();
        String heapSize = "2g"; // as ./strata run gives a node by default
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--heap")) heapSize = args[++i];
            else n = Long.parseLong(args[i].replace("_", ""));
        }
        jvm.add("-Xmx" + heapSize);
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "strata-storage-bench");
        Path file = ShopData.file(work, n);
        long fileBytes = Files.size(file);
        List<String[]> rows = new ArrayList<>();
        row(rows, "documents", String.format(Locale.ROOT, "%,d (%s of NDJSON, %d bytes each)", n, mb(fileBytes), fileBytes / n), "", "node heap -Xmx" + heapSize);

        // DuckDB, one thread, in this process
        long[] duckCounts = new long[QUERIES.size()];
        double[] duckMs = new double[QUERIES.size()];
        long duckPhonesTotal;
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("SET threads = 1");
            long t0 = System.nanoTime();
            st.execute("CREATE TABLE t AS SELECT * FROM read_json_auto('" + file + "')");
            double load = (System.nanoTime() - t0) / 1e9;
            row(rows, "load", "", String.format(Locale.ROOT, "%.1f s into a table", load), "");
            for (int q = 0; q < QUERIES.size(); q++) {
                duckCounts[q] = count(st, QUERIES.get(q).duckdb());
                int qq = q;
                duckMs[q] = medianMillis(() -> count(st, QUERIES.get(qq).duckdb()));
            }
            duckPhonesTotal = count(st, TOTAL_CHECK);
        }

        Path data = work.resolve("node-" + n);
        deleteTree(data);
        Files.deleteIfExists(work.resolve("node-" + n + ".log"));
        try (NodeProcess node = NodeProcess.start(data, jvm)) {
            long emptyHeap = node.heapAfterFullGc();
            double seconds = node.load(file, n, "shop");
            row(rows, "load (`strata load`, HTTP bulk, durable)", String.format(Locale.ROOT, "%.1f s, %,.0f docs/s", seconds, n / seconds), "",
                    "target >= 100,000 docs/s");
            check(node, QUERIES, duckCounts, duckPhonesTotal);
            double[] strataMs = new double[QUERIES.size()];
            for (int q = 0; q < QUERIES.size(); q++) {
                int qq = q;
                strataMs[q] = medianMillis(() -> node.total("shop", QUERIES.get(qq).strata()));
            }
            long heap = node.heapAfterFullGc();
            row(rows, "heap used after a full GC", String.format(Locale.ROOT, "%s, %,d bytes per document (%,d above the empty node's %s)",
                    mb(heap), heap / n, (heap - emptyHeap) / n, mb(emptyHeap)), "", "target <= 250 bytes per document");
            row(rows, "resident memory (RSS), loaded and queried", mb(node.rssSettled()) + " after a full GC, " + mb(node.rssPeak()) + " at its peak", "",
                    "target <= 2 GB");
            long withLogs = treeSize(data);
            for (int q = 0; q < QUERIES.size(); q++) {
                row(rows, "`" + QUERIES.get(q).label() + "`", String.format(Locale.ROOT, "%.1f ms", strataMs[q]),
                        String.format(Locale.ROOT, "%.1f ms", duckMs[q]), String.format(Locale.ROOT, "%.2fx DuckDB's time; %,d matches",
                                strataMs[q] / duckMs[q], duckCounts[q]));
            }
            node.stop();
            long dirBytes = treeSize(data);
            row(rows, "data directory after a commit (the clean stop)", String.format(Locale.ROOT, "%s, %.2fx the NDJSON (%s before it, logs included)",
                    mb(dirBytes), dirBytes / (double) fileBytes, mb(withLogs)), "", "target <= 1.0x");
        }
        restart(rows, data, jvm, false, duckCounts[0]);
        restart(rows, data, jvm, true, duckCounts[0]);

        System.out.println();
        System.out.println("| measure | Strata | DuckDB (1 thread) | note |");
        System.out.println("|---|---|---|---|");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    /** Starts the node on the loaded directory and times process start to the first correct answer; then stops or kills it. */
    private static void restart(List<String[]> rows, Path data, List<String> jvm, boolean kill, long expected) throws Exception {
        try (NodeProcess node = NodeProcess.start(data, jvm)) {
            long total;
            while (true) {
                NodeProcess.Response r = node.send("GET", "/collections/shop/query?q=" + java.net.URLEncoder.encode(QUERIES.get(0).strata(),
                        java.nio.charset.StandardCharsets.UTF_8), null, null);
                if (r.status() == 200) {
                    total = ((dev.strata.core.value.Value.IntValue) r.body().get("total")).value();
                    break;
                }
                Thread.sleep(10);
            }
            double seconds = (System.nanoTime() - node.startedNanos) / 1e9;
            if (total != expected) throw new IllegalStateException("after the restart the query found " + total + ", expected " + expected);
            row(rows, kill ? "restart after a kill -9 (uncommitted log replayed)" : "restart after a clean stop: process start to the first correct query",
                    String.format(Locale.ROOT, "%.1f s", seconds), "", kill ? "" : "target <= 5 s");
            if (kill) node.kill();
            else {
                // write a little, then kill: the next start replays that log tail
                node.send("POST", "/collections/shop/docs?refresh=true", "application/json", "{\"title\":\"after restart\"}");
                node.kill();
            }
        }
    }

    private static void check(NodeProcess node, List<Query> queries, long[] duckCounts, long phonesTotal) throws Exception {
        for (int q = 0; q < queries.size(); q++) {
            long expected = q == 2 ? phonesTotal : duckCounts[q];
            long got = node.total("shop", q == 2 ? "price * qty > 500 AND category = 'phones'" : queries.get(q).strata());
            if (got != expected) throw new IllegalStateException(queries.get(q).label() + ": Strata found " + got + ", DuckDB " + expected);
        }
    }

    /** Warms a query up (at least 10 runs and 3 s, as for both engines alike: the JIT compiles the node's loops), then the median of 15 runs. */
    static double medianMillis(Timing.Timed t) throws Exception { return Timing.medianMillis(10, 3, 15, t); }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void row(List<String[]> rows, String measure, String strata, String duck, String note) {
        rows.add(new String[] {measure, strata, duck, note});
    }

    static String mb(long bytes) { return String.format(Locale.ROOT, "%,.0f MB", bytes / 1e6); }

    static long treeSize(Path dir) throws IOException {
        try (var all = Files.walk(dir)) {
            return all.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (var all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
