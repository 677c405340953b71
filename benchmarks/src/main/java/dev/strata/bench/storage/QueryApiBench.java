package dev.strata.bench.storage;

import dev.strata.bench.Timing;
import dev.strata.core.value.Value;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ./strata bench queryapi [docs]}: the query API's aggregations, facets and pages on the
 * storage bench's shop documents (default 2,000,000) in a real node process over HTTP, against
 * DuckDB (one thread, in this process) in the same run: GROUP BY category with COUNT and AVG,
 * the same after a selective filter, the top 10 with a facet on brand.country, and page 1 against
 * page 1,000 by cursor and by OFFSET. Every answer is checked against DuckDB's before it is timed;
 * a mismatch ends the run with a non-zero status.
 */
public final class QueryApiBench {
    static final String SELECTIVE = "brand.country = 'KR' AND price < 100";
    static final String TOP = "price * qty > 500";
    static final String PAGED = "category = 'phones'";

    public static void main(String[] args) throws Exception {
        long n = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 2_000_000;
        Path work = Path.of(System.getProperty("java.io.tmpdir"), "strata-storage-bench");
        Path file = ShopData.file(work, n);
        List<String[]> rows = new ArrayList<>();
        try (Connection db = DriverManager.getConnection("jdbc:duckdb:"); Statement st = db.createStatement()) {
            st.execute("SET threads = 1");
            st.execute("CREATE TABLE t AS SELECT * FROM read_json_auto('" + file + "')");
            Path data = work.resolve("queryapi-" + n);
            StorageBench.deleteTree(data);
            try (NodeProcess node = NodeProcess.start(data, List.of("-Xmx2g"))) {
                node.load(file, n, "shop");

                String groupAll = "SELECT category, COUNT(*) AS n, AVG(price) AS avg GROUP BY category LIMIT 100";
                String duckAll = "SELECT category, count(*), avg(price) FROM t GROUP BY category";
                check(groups(node, groupAll), duckGroups(st, duckAll), groupAll);
                row(rows, "`GROUP BY category` with `COUNT(*)`, `AVG(price)` over every document",
                        time(() -> groups(node, groupAll)), time(() -> duckGroups(st, duckAll)));

                String groupSome = "SELECT category, COUNT(*) AS n, AVG(price) AS avg WHERE " + SELECTIVE + " GROUP BY category LIMIT 100";
                String duckSome = "SELECT category, count(*), avg(price) FROM t WHERE " + SELECTIVE + " GROUP BY category";
                check(groups(node, groupSome), duckGroups(st, duckSome), groupSome);
                row(rows, "the same after `" + SELECTIVE + "`", time(() -> groups(node, groupSome)), time(() -> duckGroups(st, duckSome)));

                String top = "q=" + enc(TOP + " ORDER BY price DESC LIMIT 10") + "&facets=brand.country&facet_size=20";
                Map<String, Long> facet = facet(node.query("shop", top));
                Map<String, Long> duckFacet = duckCounts(st, "SELECT brand.country, count(*) FROM t WHERE " + TOP + " GROUP BY brand.country");
                if (!facet.equals(duckFacet)) throw new IllegalStateException("facet counts differ: " + facet + " vs DuckDB " + duckFacet);
                row(rows, "top 10 by price of `" + TOP + "` with a facet on `brand.country` (Strata one request, DuckDB two queries)",
                        time(() -> node.query("shop", top)), time(() -> {
                            duckIds(st, "SELECT _id FROM t WHERE " + TOP + " ORDER BY price DESC, _id LIMIT 10");
                            duckCounts(st, "SELECT brand.country, count(*) FROM t WHERE " + TOP + " GROUP BY brand.country");
                        }));

                String first = "q=" + enc(PAGED + " ORDER BY price DESC");
                Value.ObjectValue page = node.query("shop", first);
                for (int p = 2; p < 1000; p++) page = node.query("shop", "cursor=" + ((Value.StringValue) page.get("next")).value());
                String cursor1000 = "cursor=" + ((Value.StringValue) page.get("next")).value();
                String offset1000 = "q=" + enc(PAGED + " ORDER BY price DESC LIMIT 10 OFFSET 9990");
                List<Value> byCursor = hits(node.query("shop", cursor1000));
                List<Value> byOffset = hits(node.query("shop", offset1000));
                List<String> duckPage = duckIds(st, "SELECT _id FROM t WHERE " + PAGED + " ORDER BY price DESC, _id LIMIT 10 OFFSET 9990");
                if (!ids(byCursor).equals(duckPage) || !ids(byOffset).equals(duckPage)) {
                    throw new IllegalStateException("page 1,000 differs: cursor " + ids(byCursor) + ", OFFSET " + ids(byOffset) + ", DuckDB " + duckPage);
                }
                double page1 = time(() -> node.query("shop", first));
                double pageCursor = time(() -> node.query("shop", cursor1000));
                double pageOffset = time(() -> node.query("shop", offset1000));
                double duckPage1 = time(() -> duckIds(st, "SELECT _id FROM t WHERE " + PAGED + " ORDER BY price DESC, _id LIMIT 10"));
                double duckOffset = time(() -> duckIds(st, "SELECT _id FROM t WHERE " + PAGED + " ORDER BY price DESC, _id LIMIT 10 OFFSET 9990"));
                row(rows, "page 1 of `" + PAGED + " ORDER BY price DESC` (10 hits)", page1, duckPage1);
                row(rows, "page 1,000 by cursor", pageCursor, duckOffset);
                row(rows, "page 1,000 by `OFFSET 9990`", pageOffset, duckOffset);
                rows.add(new String[] {"cursor page 1,000 / page 1", String.format(Locale.ROOT, "%.2fx", pageCursor / page1), "", "target <= 2x"});
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%,d shop documents; Strata: a node process over HTTP; DuckDB: 1 thread, in process; ms, median of 15%n", n);
        System.out.println("| query | Strata | DuckDB | Strata / DuckDB |");
        System.out.println("|---|---|---|---|");
        for (String[] r : rows) System.out.println("| " + String.join(" | ", r) + " |");
    }

    private static double time(Timing.Timed t) throws Exception { return StorageBench.medianMillis(t); }

    private static void row(List<String[]> rows, String label, double strata, double duck) {
        rows.add(new String[] {label, String.format(Locale.ROOT, "%.1f", strata), String.format(Locale.ROOT, "%.1f", duck),
                String.format(Locale.ROOT, "%.2f", strata / duck)});
    }

    private static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }

    /** category -> [count, avg] from a grouped reply. */
    private static Map<String, double[]> groups(NodeProcess node, String query) throws Exception {
        Map<String, double[]> out = new TreeMap<>();
        for (Value g : ((Value.ArrayValue) node.query("shop", "q=" + enc(query)).get("groups")).elements()) {
            Value.ObjectValue o = (Value.ObjectValue) g;
            out.put(((Value.StringValue) o.get("category")).value(),
                    new double[] {((Value.IntValue) o.get("n")).value(), ((Value.FloatValue) o.get("avg")).value()});
        }
        return out;
    }

    private static Map<String, double[]> duckGroups(Statement st, String sql) throws Exception {
        Map<String, double[]> out = new TreeMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1), new double[] {rs.getLong(2), rs.getDouble(3)});
        }
        return out;
    }

    /** Counts equal, averages within a relative 1e-9 (the engines add in different orders). */
    private static void check(Map<String, double[]> strata, Map<String, double[]> duck, String query) {
        boolean same = strata.keySet().equals(duck.keySet());
        for (var e : strata.entrySet()) {
            double[] d = duck.get(e.getKey());
            same &= d != null && d[0] == e.getValue()[0] && Math.abs(d[1] - e.getValue()[1]) <= 1e-9 * Math.abs(d[1]);
        }
        if (!same) throw new IllegalStateException("`" + query + "` differs from DuckDB");
    }

    private static Map<String, Long> facet(Value.ObjectValue reply) {
        Map<String, Long> out = new TreeMap<>();
        Value.ObjectValue f = (Value.ObjectValue) ((Value.ObjectValue) reply.get("facets")).get("brand.country");
        for (Value b : ((Value.ArrayValue) f.get("buckets")).elements()) {
            Value.ObjectValue o = (Value.ObjectValue) b;
            out.put(((Value.StringValue) o.get("value")).value(), ((Value.IntValue) o.get("count")).value());
        }
        return out;
    }

    private static Map<String, Long> duckCounts(Statement st, String sql) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    private static List<Value> hits(Value.ObjectValue reply) { return ((Value.ArrayValue) reply.get("hits")).elements(); }

    private static List<String> ids(List<Value> hits) {
        return hits.stream().map(h -> ((Value.StringValue) ((Value.ObjectValue) h).get("_id")).value()).toList();
    }

    private static List<String> duckIds(Statement st, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) out.add(rs.getString(1));
        }
        return out;
    }
}
