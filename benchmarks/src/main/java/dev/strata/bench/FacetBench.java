package dev.strata.bench;

import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.exec.Facets;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.QueryService;
import dev.strata.node.storage.Collection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * {@code ./strata bench facets [DOCS]}: the top 10 hits of a query with a facet on {@code category}
 * beside them (one Strata request, one scan) against DuckDB (1 thread) answering the same with two
 * queries (the top 10, and a GROUP BY count), over DOCS documents (default 1,000,000), in one run.
 * The bench fails unless both give the same counts.
 */
public final class FacetBench {
    static final String FILTER = "price * qty > 500";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        ScanData data = new ScanData(n);
        Path dir = Files.createTempDirectory("strata-facet-bench");
        try (Node node = Node.open(NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO));
             Connection duck = DriverManager.getConnection("jdbc:duckdb:")) {
            Collection c = BenchCollections.load(node, n, 0, i -> new Collection.Document(data.ids.get(i), data.docs.get(i)));
            try (Statement s = duck.createStatement()) {
                s.execute("SET threads TO 1");
                s.execute("CREATE TABLE docs (id VARCHAR, price DOUBLE, qty BIGINT, category VARCHAR)");
            }
            try (DuckDBAppender a = ((DuckDBConnection) duck).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "docs")) {
                for (int i = 0; i < n; i++) {
                    a.beginRow();
                    a.append(data.ids.get(i));
                    a.append(data.price[i]);
                    a.append(data.qty[i]);
                    a.append(data.category[i]);
                    a.endRow();
                }
            }
            QueryService q = node.queries();
            String text = FILTER + " ORDER BY price DESC LIMIT 10";
            QueryExecutor.Page withFacet = new QueryExecutor.Page(10, null, List.of("category"), 10);
            Map<String, Long> strata = new LinkedHashMap<>();
            for (Facets.Bucket b : run(q, c, text, withFacet).facets().get(0).buckets()) {
                strata.put(((Value.StringValue) b.value()).value(), b.count());
            }
            Map<String, Long> duckCounts = duckFacet(duck);
            if (!strata.equals(duckCounts)) throw new IllegalStateException("facet counts differ: " + strata + " vs DuckDB " + duckCounts);

            double plain = Timing.medianMillis(5, 1, 9, () -> run(q, c, text, new QueryExecutor.Page(10, null)));
            double faceted = Timing.medianMillis(5, 1, 9, () -> run(q, c, text, withFacet));
            double duckTop = Timing.medianMillis(5, 1, 9, () -> duckTop10(duck));
            double duckBoth = Timing.medianMillis(5, 1, 9, () -> { duckTop10(duck); duckFacet(duck); });
            System.out.println();
            System.out.printf(Locale.ROOT, "%,d documents; `%s`, top 10 by price and a facet on category; ms (median of 9)%n", n, FILTER);
            System.out.println("| | Strata | DuckDB (1 thread) | Strata / DuckDB |");
            System.out.println("|---|---|---|---|");
            System.out.printf(Locale.ROOT, "| top 10 hits | %.1f | %.1f | %.2f |%n", plain, duckTop, plain / duckTop);
            System.out.printf(Locale.ROOT, "| top 10 hits + facet on category | %.1f (one request) | %.1f (two queries) | %.2f |%n",
                    faceted, duckBoth, faceted / duckBoth);
        }
    }

    private static QueryExecutor.Result run(QueryService q, Collection c, String text, QueryExecutor.Page page) {
        try (QueryService.Outcome o = q.start(c, text, true, 0, false, page, 10_000)) {
            if (o.result().hits().size() != 10) throw new IllegalStateException(text + " gave " + o.result().hits().size() + " hits");
            return o.result();
        }
    }

    private static void duckTop10(Connection duck) throws Exception {
        try (Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, price FROM docs WHERE " + FILTER + " ORDER BY price DESC, id LIMIT 10")) {
            int rows = 0;
            while (rs.next()) rows++;
            if (rows != 10) throw new IllegalStateException("DuckDB gave " + rows + " rows");
        }
    }

    private static Map<String, Long> duckFacet(Connection duck) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Statement s = duck.createStatement();
             ResultSet rs = s.executeQuery("SELECT category, count(*) AS n FROM docs WHERE " + FILTER
                     + " GROUP BY category ORDER BY n DESC, category LIMIT 10")) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }
}
