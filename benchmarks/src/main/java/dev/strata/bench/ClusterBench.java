package dev.strata.bench;

import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.cluster.ClusterSettings;
import dev.strata.node.cluster.DistributedQuery;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./strata bench cluster [DOCS]}: the same documents (default 1,000,000 scan documents)
 * loaded into a single node and into clusters of 1, 2 and 3 Hazelcast members in this JVM,
 * through the cluster's write path (each document to its partition's owner, fsynced there and on
 * its backup), in bulks of 10,000: ingest throughput against the single node's. Then three
 * queries through {@link DistributedQuery} on each (on a node that runs alone it is the ordinary
 * query, so the ratio is the cluster's cost), in one run.
 * Every answer is checked against the single node's first. On this 2-core machine the members
 * share the same two cores, so the ratios show the cluster's overhead (a second copy of every
 * write, task dispatch, serialisation, merging), not the speed-up separate machines would give.
 */
public final class ClusterBench {
    private static final List<String> QUERIES = List.of(
            ScanData.QUERY + " ORDER BY price DESC LIMIT 10",
            "SELECT category, COUNT(*) AS n, AVG(price) AS avg GROUP BY category",
            "price > 100 LIMIT 0");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        ScanData data = new ScanData(n);
        Path dir = Files.createTempDirectory("strata-cluster-bench");
        List<String[]> rows = new ArrayList<>();
        List<String[]> ingest = new ArrayList<>();
        try (Node single = Node.open(NodeConfig.defaults(dir.resolve("single")).withRefreshInterval(Duration.ZERO))) {
            Collection whole = single.create("c", Mappings.NONE);
            double singleRate = load(n, data, docs -> whole.bulk(docs));
            whole.refresh();
            double[] base = new double[QUERIES.size()];
            List<QueryExecutor.Result> expected = new ArrayList<>();
            for (int q = 0; q < QUERIES.size(); q++) {
                String text = QUERIES.get(q);
                expected.add(single.queries().run(whole, text, true).result());
                // the same entry point as the cluster's: on a node that runs alone it is the ordinary query, no fan-out
                check(text, expected.get(q), DistributedQuery.run(single, "c", text, null, Long.MAX_VALUE));
                base[q] = Timing.medianMillis(5, 2, 11, () -> DistributedQuery.run(single, "c", text, null, Long.MAX_VALUE));
            }
            for (int members = 1; members <= 3; members++) {
                List<Node> nodes = cluster(dir.resolve("c" + members), members);
                try {
                    var writes = nodes.get(0).partitioned().writes();
                    writes.create("c", Mappings.NONE, 0);
                    double rate = load(n, data, docs -> writes.bulk("c", docs));
                    writes.refresh("c");
                    ingest.add(new String[] {Integer.toString(members), String.format(Locale.ROOT, "%,.0f", singleRate),
                            String.format(Locale.ROOT, "%,.0f", rate), String.format(Locale.ROOT, "%.2f", rate / singleRate)});
                    for (int q = 0; q < QUERIES.size(); q++) {
                        String text = QUERIES.get(q);
                        check(text, expected.get(q), DistributedQuery.run(nodes.get(0), "c", text, null, Long.MAX_VALUE));
                        double ms = Timing.medianMillis(5, 2, 11, () -> DistributedQuery.run(nodes.get(0), "c", text, null, Long.MAX_VALUE));
                        rows.add(new String[] {Integer.toString(members), "`" + text + "`", String.format(Locale.ROOT, "%.1f", base[q]),
                                String.format(Locale.ROOT, "%.1f", ms), String.format(Locale.ROOT, "%.2f", ms / base[q])});
                    }
                } finally {
                    for (Node node : nodes) node.close();
                }
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d documents in bulks of 10,000, fsync per bulk (owner and backup on a cluster); in-JVM members%n", n);
        System.out.println("| members | single node docs/s | cluster docs/s (through member 1) | cluster / single |");
        System.out.println("|---|---|---|---|");
        for (String[] r : ingest) System.out.println("| " + String.join(" | ", r) + " |");
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d documents; in-JVM Hazelcast members on one 2-core machine; ms, median of 11%n", n);
        System.out.println("| members | query | single node | cluster (any member asked) | cluster / single |");
        System.out.println("|---|---|---|---|---|");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    /** Writes every document in bulks of 10,000 through {@code bulk}; returns documents per second. */
    private static double load(int n, ScanData data, java.util.function.Function<List<Collection.Document>, Collection.Bulk> bulk) {
        long t0 = System.nanoTime();
        for (int from = 0; from < n; from += 10_000) {
            List<Collection.Document> docs = new ArrayList<>();
            for (int i = from; i < Math.min(n, from + 10_000); i++) docs.add(new Collection.Document(data.ids.get(i), data.docs.get(i)));
            Collection.Bulk b = bulk.apply(docs);
            if (b.rejectedCount() > 0) throw new IllegalStateException("a bulk was refused: " + b.rejected().get(0).error().getMessage());
        }
        return n / ((System.nanoTime() - t0) / 1e9);
    }

    /** {@code members} in-JVM members forming one cluster, every partition owned and in line. */
    private static List<Node> cluster(Path dir, int members) throws Exception {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            try (ServerSocket s = new ServerSocket(0)) { ports.add(s.getLocalPort()); }
        }
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            ClusterSettings s = ClusterSettings.loopback("bench-" + ports.get(0), ports.get(i), ports).withPartitions(71)
                    .withQuorum(members / 2 + 1);
            nodes.add(Node.open(NodeConfig.builder(dir.resolve("m" + i)).refreshInterval(Duration.ZERO).cluster("hazelcast", s).build()));
        }
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!nodes.stream().allMatch(x -> x.fabric().members().size() == members && x.fabric().settled() && x.partitioned().inLine())
                || nodes.stream().anyMatch(x -> x.fabric().ownedPartitions().isEmpty())) {
            if (System.nanoTime() > until) throw new IllegalStateException("the cluster of " + members + " did not settle in 5 minutes");
            Thread.sleep(100);
        }
        return nodes;
    }

    private static void check(String text, QueryExecutor.Result want, DistributedQuery.Answer got) {
        boolean same = got.total() == want.total()
                && got.hits().stream().map(QueryExecutor.Hit::id).toList().equals(want.hits().stream().map(QueryExecutor.Hit::id).toList());
        if (want.groups() != null) {
            // counts must be equal; float averages may differ in the last bits (a different order of additions)
            same &= got.groups() != null && got.groups().rows().size() == want.groups().rows().size();
            for (int i = 0; same && i < want.groups().rows().size(); i++) {
                same = got.groups().rows().get(i).get("n").equals(want.groups().rows().get(i).get("n"));
            }
        }
        if (!same) throw new IllegalStateException("`" + text + "`: the cluster's answer differs from the single node's");
    }
}
