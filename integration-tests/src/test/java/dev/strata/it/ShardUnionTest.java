package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.cluster.LocalFabric;
import dev.strata.node.exec.HitMerge;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.QueryService;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import dev.strata.node.storage.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The building block of a cluster member's queries: documents split into partition shards by their
 * id, queried as the union of the shards, answer exactly what one collection holding them all
 * answers: the same hits in the same order, totals, and groups; and pages ranked by each shard
 * apart, merged ({@link HitMerge}), give the page the whole gives.
 */
class ShardUnionTest {
    @TempDir Path dir;

    @Test
    void aUnionOfPartitionShardsAnswersAsOneCollection() {
        LocalFabric partitions = new LocalFabric(3);
        try (Node node = Node.open(NodeConfig.defaults(dir).withRefreshInterval(Duration.ZERO))) {
            Mappings dates = new Mappings(Map.of(FieldPath.of("day").columnKey(), ValueKind.DATE));
            Collection whole = node.create("whole", dates);
            List<Collection> shards = List.of(node.create("s0", dates), node.create("s1", dates), node.create("s2", dates));
            Generated g = new Generated(31L);
            List<String> json = new ArrayList<>();
            for (int i = 0; i < 900; i++) json.add(g.document());
            Harness h = new Harness(json, "day");
            for (int i = 0; i < h.docs.size(); i++) {
                String id = h.ids.get(i);
                whole.put(id, h.docs.get(i));
                shards.get(partitions.partitionOf(id)).put(id, h.docs.get(i));
                if (i % 250 == 249) shards.forEach(Collection::refresh); // several segments per shard
            }
            whole.refresh();
            shards.forEach(Collection::refresh);
            Snapshot union = Snapshot.union(shards.stream().map(Collection::snapshot).toList());
            assertThat(union.liveCount()).isEqualTo(whole.snapshot().liveCount()).isEqualTo(900);

            QueryService q = node.queries();
            Generated queries = new Generated(32L);
            int compared = 0;
            for (int i = 0; i < 300; i++) {
                String cond = queries.condition(2).strata();
                for (String text : List.of(cond + " ORDER BY n DESC, price LIMIT 15", "SELECT category, COUNT(*) AS c, SUM(qty) AS s, MAX(title) AS t"
                        + " WHERE " + cond + " GROUP BY category LIMIT 100", cond + " LIMIT 7")) {
                    QueryExecutor.Result one = run(q, "whole", whole.snapshot(), text);
                    QueryExecutor.Result many = run(q, "shards", union, text);
                    assertThat(many.total()).as(text).isEqualTo(one.total());
                    assertThat(many.hits().stream().map(QueryExecutor.Hit::id).toList()).as(text)
                            .containsExactlyElementsOf(one.hits().stream().map(QueryExecutor.Hit::id).toList());
                    if (one.groups() != null) assertThat(many.groups().rows()).as(text).isEqualTo(one.groups().rows());
                    compared++;
                }
            }
            assertThat(compared).isEqualTo(900);

            // each shard ranked apart (as a cluster member does), then merged: the same page as one collection's
            int merged = 0;
            for (int i = 0; i < 200; i++) {
                String cond = queries.condition(2).strata();
                String[][] forms = {{" ORDER BY n DESC, price", "true,false"}, {" SET _score = price", ""}, {"", ""},
                    {" ORDER BY title, day DESC", "false,true"}};
                for (String[] form : forms) {
                    boolean[] descending = parse(form[1]);
                    List<List<QueryExecutor.Hit>> pages = new ArrayList<>();
                    for (Collection shard : shards) pages.add(run(q, "shards", shard.snapshot(), cond + form[0] + " LIMIT 20").hits());
                    List<String> got = HitMerge.merge(pages, descending, 5, 15).stream().map(QueryExecutor.Hit::id).toList();
                    List<String> want = run(q, "whole", whole.snapshot(), cond + form[0] + " LIMIT 15 OFFSET 5").hits().stream()
                            .map(QueryExecutor.Hit::id).toList();
                    assertThat(got).as(cond + form[0]).containsExactlyElementsOf(want);
                    merged++;
                }
            }
            assertThat(merged).isEqualTo(800);

            // grouped queries: each shard's partial groups, merged, give one collection's rows
            int grouped = 0;
            for (int i = 0; i < 150; i++) {
                String cond = queries.condition(2).strata();
                String text = "SELECT category, flag, COUNT(*) AS c, SUM(qty) AS s, AVG(n) AS a, MIN(title) AS lo, MAX(day) AS hi,"
                        + " COUNT(DISTINCT qty) AS d WHERE " + cond + " GROUP BY category, flag ORDER BY c DESC LIMIT 8 OFFSET 1";
                List<dev.strata.node.exec.GroupPartial> partials = new ArrayList<>();
                for (Collection shard : shards) {
                    try (QueryService.Outcome o = q.start("shards", shard.snapshot(), text, true, 0, false, QueryExecutor.Page.ALL.withPartial(),
                            Long.MAX_VALUE)) {
                        partials.add(o.result().groups().partial());
                    }
                }
                var plan = q.plan("shards", union, text, true);
                QueryExecutor.Groups got = QueryExecutor.mergeGroups(plan, partials, null, Long.MAX_VALUE,
                        dev.strata.core.spi.ExecutionContext.unbounded()).groups();
                QueryExecutor.Groups want = run(q, "whole", whole.snapshot(), text).groups();
                assertThat(got.rows()).as(text).isEqualTo(want.rows());
                assertThat(got.total()).isEqualTo(want.total());
                grouped++;
            }
            assertThat(grouped).isEqualTo(150);
        }
    }

    private static boolean[] parse(String directions) {
        if (directions.isEmpty()) return new boolean[0];
        String[] parts = directions.split(",");
        boolean[] out = new boolean[parts.length];
        for (int i = 0; i < parts.length; i++) out[i] = Boolean.parseBoolean(parts[i]);
        return out;
    }

    private static QueryExecutor.Result run(QueryService q, String name, Snapshot s, String text) {
        try (QueryService.Outcome o = q.start(name, s, text, true, 0, false, QueryExecutor.Page.ALL, Long.MAX_VALUE)) {
            return o.result();
        }
    }
}
