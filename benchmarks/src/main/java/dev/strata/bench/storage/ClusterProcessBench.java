package dev.strata.bench.storage;

import dev.strata.core.value.Value;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./strata bench cluster-jvms [DOCS]}: the shop documents (default 300,000) loaded with
 * {@code strata load} into a single node process and into clusters of 1, 2 and 3 member
 * processes (loopback, one backup, a majority quorum), then three queries over HTTP through the
 * first member, in one run. Ingest in documents per second and query times as ratios to the
 * single node; every answer's total is checked against the single node's. Each process gets
 * 1 GiB of heap; on this 2-core machine the processes share two cores.
 */
public final class ClusterProcessBench {
    private static final List<String> QUERIES = List.of(
            "price * qty > 500 AND category = 'phones' ORDER BY price DESC LIMIT 10",
            "SELECT category, COUNT(*) AS n, AVG(price) AS avg GROUP BY category LIMIT 100",
            "price > 100 LIMIT 0");

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 300_000;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "strata-storage-bench");
        Path file = ShopData.file(work, n);
        List<String[]> ingest = new ArrayList<>();
        List<String[]> queries = new ArrayList<>();
        double singleRate;
        double singleHeapPerDoc;
        List<String[]> heap = new ArrayList<>();
        double[] singleMs = new double[QUERIES.size()];
        long[] totals = new long[QUERIES.size()];
        Path data = work.resolve("cluster-jvms-" + n);
        StorageBench.deleteTree(data);
        try (NodeProcess node = NodeProcess.start(data.resolve("single"), List.of("-Xmx1g"))) {
            singleRate = n / node.load(file, n, "shop");
            node.send("POST", "/collections/shop/refresh", null, null);
            singleHeapPerDoc = (double) node.heapAfterFullGc() / n;
            for (int q = 0; q < QUERIES.size(); q++) {
                String text = QUERIES.get(q);
                totals[q] = node.total("shop", text);
                singleMs[q] = StorageBench.medianMillis(() -> node.query("shop", "q=" + enc(text)));
            }
        }
        for (int members = 1; members <= 3; members++) {
            List<NodeProcess> cluster = start(data.resolve("c" + members), members);
            try {
                NodeProcess first = cluster.get(0);
                NodeProcess.Response created = first.send("PUT", "/collections/shop", null, null);
                if (created.status() != 201) throw new IllegalStateException("creating the collection answered " + created.status() + ": " + created.body());
                double rate = n / first.load(file, n, "shop");
                first.send("POST", "/collections/shop/refresh", null, null);
                ingest.add(new String[] {Integer.toString(members), String.format(Locale.ROOT, "%,.0f", singleRate),
                        String.format(Locale.ROOT, "%,.0f", rate), String.format(Locale.ROOT, "%.2f", rate / singleRate)});
                awaitInLine(cluster, members); // no copy or drop in flight while the heap is measured
                // heap per document a member holds (its own partitions and its backups' copies), against the single node's
                double worst = 0;
                long held = 0;
                long worstHeap = 0;
                for (NodeProcess p : cluster) {
                    long docs = ((Value.IntValue) p.send("GET", "/collections/shop", null, null).body().get("documents")).value();
                    held += docs;
                    // the smaller of two readings 2 s apart: a reading can catch a burst of the member's own background work
                    long h = p.heapAfterFullGc();
                    Thread.sleep(2000);
                    h = Math.min(h, p.heapAfterFullGc());
                    if ((double) h / docs > worst) {
                        worst = (double) h / docs;
                        worstHeap = h;
                    }
                }
                heap.add(new String[] {Integer.toString(members), String.format(Locale.ROOT, "%,d", held),
                        String.format(Locale.ROOT, "%.0f (%.1f MB)", singleHeapPerDoc, singleHeapPerDoc * n / 1e6),
                        String.format(Locale.ROOT, "%.0f (%.1f MB)", worst, worstHeap / 1e6),
                        String.format(Locale.ROOT, "%.2f", worst / singleHeapPerDoc)});
                for (int q = 0; q < QUERIES.size(); q++) {
                    String text = QUERIES.get(q);
                    long total = first.total("shop", text);
                    if (total != totals[q]) throw new IllegalStateException("`" + text + "`: the cluster matched " + total + ", the single node " + totals[q]);
                    double ms = StorageBench.medianMillis(() -> first.query("shop", "q=" + enc(text)));
                    queries.add(new String[] {Integer.toString(members), "`" + text + "`", String.format(Locale.ROOT, "%.1f", singleMs[q]),
                            String.format(Locale.ROOT, "%.1f", ms), String.format(Locale.ROOT, "%.2f", ms / singleMs[q])});
                }
            } finally {
                for (NodeProcess p : cluster) p.close();
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d shop documents with strata load through member 1; member processes on one 2-core machine%n", n);
        System.out.println("| members | single node docs/s | cluster docs/s | cluster / single |");
        System.out.println("|---|---|---|---|");
        for (String[] r : ingest) System.out.println("| " + String.join(" | ", r) + " |");
        System.out.println();
        System.out.println("Heap after a full GC per document held (a member holds its partitions and its backup copies):");
        System.out.println("| members | documents held, all members | single node bytes/doc (heap) | worst member bytes/doc (heap) | member / single (target <= 2) |");
        System.out.println("|---|---|---|---|---|");
        for (String[] r : heap) System.out.println("| " + String.join(" | ", r) + " |");
        System.out.println();
        System.out.println("Queries over HTTP through member 1, ms (median):");
        System.out.println("| members | query | single node | cluster | cluster / single |");
        System.out.println("|---|---|---|---|---|");
        for (String[] r : queries) System.out.println("| " + String.join(" | ", r) + " |");
    }

    /** {@code members} member processes on loopback, waited for until each sees all and is in line. */
    private static List<NodeProcess> start(Path dir, int members) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            try (ServerSocket s = new ServerSocket(0)) { ports.add(s.getLocalPort()); }
        }
        String seeds = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        List<NodeProcess> out = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            out.add(NodeProcess.start(dir.resolve("m" + i), List.of("-Xmx1g"), List.of("--cluster", "hazelcast", "--cluster-name",
                    "bench-" + ports.get(0), "--cluster-port", Integer.toString(ports.get(i)), "--cluster-seeds", seeds,
                    "--quorum", Integer.toString(members / 2 + 1))));
        }
        awaitInLine(out, members);
        return out;
    }

    /** Waits until each member sees all {@code members}, owns partitions, and is in line (no partition work left). */
    private static void awaitInLine(List<NodeProcess> out, int members) throws Exception {
        long until = System.nanoTime() + java.time.Duration.ofMinutes(5).toNanos();
        for (NodeProcess p : out) {
            while (true) {
                Value.ObjectValue c = p.send("GET", "/cluster", null, null).body();
                if (((Value.ArrayValue) c.get("members")).elements().size() == members && c.get("in_line") == Value.TRUE
                        && c.get("settled") == Value.TRUE && !((Value.ArrayValue) c.get("owned")).elements().isEmpty()) {
                    break;
                }
                if (System.nanoTime() > until) throw new IllegalStateException("the cluster of " + members + " did not settle in 5 minutes: " + c);
                Thread.sleep(200);
            }
        }
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
