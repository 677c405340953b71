package dev.strata.bench;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.QueryService;
import dev.strata.node.exec.ResumeAfter;
import dev.strata.node.storage.Collection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@code ./strata bench pages [DOCS]}: page 1 and page 1,000 (pages of 10) of a query over DOCS
 * documents (default 1,000,000), by cursor and by OFFSET, sorted by a field and unsorted (by
 * {@code _id}), in one run. The cursor's page 1,000 is reached by walking the 999 cursors before it;
 * the bench fails unless it holds the same hits as OFFSET 9,990.
 */
public final class PageBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 1_000_000;
        Path dir = Files.createTempDirectory("strata-page-bench");
        try (Node node = Node.open(NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO))) {
            Random r = new Random(7);
            Collection c = BenchCollections.load(node, n, 250_000, i -> new Collection.Document(String.format("d%08d", r.nextInt(1 << 30)) + "-" + i,
                    (Value.ObjectValue) Json.parse("{\"price\":" + r.nextInt(100_000) / 100.0 + "}")));
            QueryService q = node.queries();
            System.out.println();
            System.out.printf(Locale.ROOT, "%,d documents; pages of 10; ms per page (median of 5)%n", n);
            System.out.println("| query | page 1 | page 1,000 by cursor | ratio | page 1,000 by OFFSET 9990 | ratio |");
            System.out.println("|---|---|---|---|---|---|");
            for (String text : List.of("price >= 0 ORDER BY price LIMIT 10", "price >= 0 LIMIT 10")) {
                ResumeAfter at999 = null;
                for (int page = 1; page < 1000; page++) at999 = page(q, c, text, at999).next();
                ResumeAfter cursor = at999;
                String offsetText = text.replace("LIMIT 10", "LIMIT 10 OFFSET 9990");
                List<String> byCursor = page(q, c, text, cursor).hits().stream().map(QueryExecutor.Hit::id).toList();
                List<String> byOffset = page(q, c, offsetText, null).hits().stream().map(QueryExecutor.Hit::id).toList();
                if (!byCursor.equals(byOffset)) throw new IllegalStateException(text + ": page 1,000 differs by cursor and by OFFSET");
                double first = Timing.medianMillis(5, 0, 5, () -> page(q, c, text, null));
                double deep = Timing.medianMillis(5, 0, 5, () -> page(q, c, text, cursor));
                double offset = Timing.medianMillis(5, 0, 5, () -> page(q, c, offsetText, null));
                System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.2fx | %.1f | %.2fx |%n", text, first, deep, deep / first, offset, offset / first);
            }
        }
    }

    private static QueryExecutor.Result page(QueryService q, Collection c, String text, ResumeAfter after) {
        try (QueryService.Outcome o = q.start(c, text, true, 0, false, new QueryExecutor.Page(10, after), 10_000)) {
            return o.result();
        }
    }
}
