package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.QueryService;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The planner never changes a result: generated queries return the same ids, in the same order,
 * through the index path and through a forced full scan, over several mapped segments with
 * deletes and updates, again after a merge, and after a restart (where they must also equal the
 * answers before it).
 */
class IndexVersusScanTest {
    @TempDir Path dir;

    @Test
    void indexPathAndFullScanAgreeOnGeneratedQueriesOverMappedSegmentsAfterMergeAndRestart() {
        List<String> queries = new ArrayList<>();
        Map<String, Outcome> merged;
        try (Node node = Node.open(config())) {
            Collection c = node.create("g", new Mappings(Map.of(FieldPath.of("day").columnKey(), ValueKind.DATE)));
            Generated g = new Generated(42);
            Random r = new Random(7);
            int n = 0;
            for (int seg = 0; seg < 3; seg++) {
                List<Collection.Document> docs = new ArrayList<>();
                for (int i = 0; i < 300; i++) docs.add(new Collection.Document("d" + n++, (Value.ObjectValue) Json.parse(g.document())));
                c.putAll(docs);
                c.refresh();
            }
            for (int i = 0; i < 60; i++) c.delete("d" + r.nextInt(n));
            for (int i = 0; i < 60; i++) c.put("d" + r.nextInt(n), (Value.ObjectValue) Json.parse(g.document()));
            c.refresh();
            assertThat(c.snapshot().segments()).hasSizeGreaterThanOrEqualTo(3);
            for (int i = 0; i < 2500; i++) {
                String text = switch (i % 4) {
                    case 0 -> g.condition(2).strata();
                    case 1 -> indexable(r, 2);
                    case 2 -> indexable(r, 1) + " AND " + g.condition(1).strata();
                    default -> "(" + g.condition(1).strata() + ") AND " + indexable(r, 2);
                };
                if (i % 3 == 0) text += " ORDER BY price DESC, n LIMIT 7 OFFSET 2";
                queries.add(text);
            }
            compareBothPaths(node.queries(), c, queries);

            // a fourth segment of the same size fills a tier: merged, the two paths still agree
            List<Collection.Document> docs = new ArrayList<>();
            for (int i = 0; i < 300; i++) docs.add(new Collection.Document("d" + n++, (Value.ObjectValue) Json.parse(g.document())));
            c.putAll(docs);
            c.refresh();
            int before = c.snapshot().segments().size();
            while (c.maybeMerge()) { /* every full tier */ }
            assertThat(c.snapshot().segments().size()).as("segments after merging").isLessThan(before);
            merged = compareBothPaths(node.queries(), c, queries);
        }
        try (Node node = Node.open(config())) { // restarted: the committed segments are mapped again, same answers in the same order
            Map<String, Outcome> restarted = compareBothPaths(node.queries(), node.collection("g"), queries);
            assertThat(restarted.keySet()).isEqualTo(merged.keySet());
            for (String q : queries) assertThat(restarted.get(q)).as(q).isEqualTo(merged.get(q));
        }
    }

    private NodeConfig config() { return NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO); }

    /** Runs every query through the index path and a forced full scan; they must agree. Returns the outcomes. */
    private static Map<String, Outcome> compareBothPaths(QueryService qs, Collection c, List<String> queries) {
        Map<String, Outcome> out = new java.util.HashMap<>();
        int indexed = 0;
        for (String text : queries) {
            Outcome viaIndex = run(qs, c, text, true);
            Outcome viaScan = run(qs, c, text, false);
            if (viaIndex.error() == ErrorCode.INTEGER_OVERFLOW || viaScan.error() == ErrorCode.INTEGER_OVERFLOW) continue;
            assertThat(viaIndex).as(text).isEqualTo(viaScan);
            out.put(text, viaIndex);
            if (viaIndex.usedIndex()) indexed++;
        }
        assertThat(out.size()).isGreaterThan(2000);
        assertThat(indexed).as("queries whose plan used an index").isGreaterThan(out.size() / 2);
        return out;
    }

    /** A condition made only of leaves the index can answer. */
    private static String indexable(Random r, int depth) {
        if (depth > 0 && r.nextInt(3) > 0) {
            String op = r.nextBoolean() ? " AND " : " OR ";
            return "(" + indexable(r, depth - 1) + op + indexable(r, depth - 1) + ")";
        }
        String cat = "'" + Generated.CATEGORIES[r.nextInt(Generated.CATEGORIES.length)].replace("'", "''") + "'";
        String op = new String[] {"=", "!=", "<", "<=", ">", ">="}[r.nextInt(6)];
        return switch (r.nextInt(12)) {
            case 0 -> "category " + op + " " + cat;
            case 1 -> "price " + op + " " + (r.nextInt(200) + (r.nextBoolean() ? 0.5 : 0));
            case 2 -> "qty " + op + " " + (r.nextInt(12) - 1) + (r.nextInt(4) == 0 ? ".5" : "");
            case 3 -> "n " + op + " -" + r.nextInt(60);
            case 4 -> "qty IN (" + r.nextInt(11) + ", " + r.nextInt(11) + ", NULL, " + r.nextDouble() * 10 + ")";
            case 5 -> "category IN (" + cat + ", 'phones')";
            case 6 -> "price BETWEEN " + r.nextInt(100) + " AND " + (r.nextInt(100) + 50.25);
            case 7 -> String.format("day %s DATE '20%02d-%02d-%02d'", op, 20 + r.nextInt(6), 1 + r.nextInt(12), 1 + r.nextInt(28));
            case 8 -> new String[] {"category IS MISSING", "price IS NOT MISSING", "exists(flag)", "NOT exists(qty)"}[r.nextInt(4)];
            case 9 -> "NOT (exists(price) AND qty IS MISSING)";
            case 10 -> cat + " " + op + " category";
            default -> "title " + op + " '" + Generated.WORDS[r.nextInt(Generated.WORDS.length)] + "'";
        };
    }

    private record Outcome(ErrorCode error, long total, List<String> ids, boolean usedIndex) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome x && x.error == error && x.total == total && x.ids.equals(ids);
        }

        @Override
        public int hashCode() { return ids.hashCode(); }
    }

    private static Outcome run(QueryService qs, Collection c, String text, boolean useIndexes) {
        try {
            QueryService.Outcome o = qs.run(c, text, useIndexes);
            return new Outcome(null, o.result().total(), o.result().hits().stream().map(QueryExecutor.Hit::id).toList(),
                    o.plan().index() != null);
        } catch (StrataException e) {
            return new Outcome(e.code(), -1, List.of(), false);
        }
    }
}
