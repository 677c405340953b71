package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.cluster.ClusterSettings;
import dev.strata.node.cluster.DistributedQuery;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.ResumeAfter;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three data nodes in one JVM as a Hazelcast cluster, each holding the documents of the partitions
 * it owns, answer a query asked of any one of them exactly as one node holding every document
 * does: generated filters with ordered pages, cursor walks and aggregations. (Writes are placed on
 * the owners by the test here; routing and replicating them is the next step of issue 18.)
 */
class ClusterQueryTest {
    @TempDir Path dir;
    private final List<Node> nodes = new ArrayList<>();

    @AfterEach
    void close() { nodes.forEach(Node::close); }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    @Test
    void aQueryOnAnyMemberEqualsOneNodeHoldingEverything() throws Exception {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        Mappings dates = new Mappings(Map.of(FieldPath.of("day").columnKey(), ValueKind.DATE));
        for (int i = 0; i < 3; i++) {
            ClusterSettings s = ClusterSettings.loopback("cq-" + ports.get(0), ports.get(i), ports).withPartitions(29);
            Node n = Node.open(NodeConfig.builder(dir.resolve("m" + i)).refreshInterval(Duration.ZERO).cluster("hazelcast", s).build());
            nodes.add(n);
        }
        Await.until("three members", () -> nodes.stream().mapToInt(n -> n.fabric().members().size()).min().orElse(0), m -> m == 3);
        Await.until("the partitions settled", () -> nodes.stream().allMatch(n -> n.fabric().settled())
                && nodes.stream().mapToInt(n -> n.fabric().ownedPartitions().size()).sum() == 29, ok -> ok);
        nodes.get(0).partitioned().writes().create("docs", dates, 0);
        Node oracleNode = Node.open(NodeConfig.defaults(dir.resolve("oracle")).withRefreshInterval(Duration.ZERO));
        nodes.add(oracleNode);
        Collection oracle = oracleNode.create("docs", dates);

        Generated g = new Generated(41L);
        List<String> json = new ArrayList<>();
        for (int i = 0; i < 700; i++) json.add(g.document());
        Harness h = new Harness(json, "day");
        List<Collection.Document> docs = new ArrayList<>();
        for (int i = 0; i < h.docs.size(); i++) {
            docs.add(new Collection.Document(h.ids.get(i), h.docs.get(i)));
            oracle.put(h.ids.get(i), h.docs.get(i));
        }
        // written through the second member: each document goes to its partition's owner and backup
        Collection.Bulk written = nodes.get(1).partitioned().writes().bulk("docs", docs);
        assertThat(written.rejectedCount()).isZero();
        assertThat(written.written()).hasSize(700);
        nodes.get(2).partitioned().writes().refresh("docs");
        oracle.refresh();
        long held = 0;
        for (int i = 0; i < 3; i++) {
            long mine = nodes.get(i).collection("docs").snapshot().liveCount();
            assertThat(mine).as("member " + i + " holds its partitions' documents and its backups' copies").isPositive();
            held += mine;
        }
        assertThat(held).as("every document is on its owner and on one backup").isEqualTo(2 * 700);

        Generated queries = new Generated(42L);
        for (int i = 0; i < 120; i++) {
            String cond = queries.condition(2).strata();
            Node asked = nodes.get(i % 3);
            for (String text : List.of(cond + " ORDER BY n DESC, price LIMIT 10 OFFSET 3", cond + " SET _score = price LIMIT 5", cond + " LIMIT 0")) {
                DistributedQuery.Answer got = DistributedQuery.run(asked, "docs", text, null, 10);
                QueryExecutor.Result want = oracleNode.queries().run(oracle, text, true).result();
                assertThat(got.members()).isEqualTo(3);
                // on a node that runs alone the same entry point is the ordinary query
                assertThat(DistributedQuery.run(oracleNode, "docs", text, null, 10).hits().stream().map(QueryExecutor.Hit::id).toList())
                        .as(text).containsExactlyElementsOf(want.hits().stream().map(QueryExecutor.Hit::id).toList());
                assertThat(got.total()).as(text).isEqualTo(want.total());
                assertThat(got.hits().stream().map(QueryExecutor.Hit::id).toList()).as(text)
                        .containsExactlyElementsOf(want.hits().stream().map(QueryExecutor.Hit::id).toList());
            }
            // facets: each member counts every bucket, the asked member merges and cuts, as one node does
            String faceted = cond + " LIMIT 3";
            List<String> facetFields = List.of("category", "flag", "n");
            DistributedQuery.Answer withFacets = DistributedQuery.run(asked, "docs", faceted, null, 10,
                    new DistributedQuery.Extras(false, false, facetFields, 3));
            try (var o = oracleNode.queries().start(oracle, faceted, true, 0, false,
                    new QueryExecutor.Page(10, null, facetFields, 3), Long.MAX_VALUE)) {
                assertThat(withFacets.facets()).as(faceted).isEqualTo(o.result().facets());
            }
            String grouped = "SELECT category, COUNT(*) AS c, SUM(qty) AS s, MIN(title) AS lo, COUNT(DISTINCT flag) AS d WHERE " + cond
                    + " GROUP BY category ORDER BY c DESC LIMIT 5";
            assertThat(DistributedQuery.run(asked, "docs", grouped, null, 10).groups().rows()).as(grouped)
                    .isEqualTo(oracleNode.queries().run(oracle, grouped, true).result().groups().rows());
        }

        // a cursor walk over the cluster gives every match once, in the one node's order
        String walk = "price > 10 ORDER BY day DESC, title";
        List<String> walked = new ArrayList<>();
        ResumeAfter after = null;
        do {
            DistributedQuery.Answer page = DistributedQuery.run(nodes.get(1), "docs", walk, after, 25);
            page.hits().forEach(hit -> walked.add(hit.id()));
            after = page.next();
        } while (after != null);
        List<String> all = oracleNode.queries().run(oracle, walk + " LIMIT 10000", true).result().hits().stream().map(QueryExecutor.Hit::id).toList();
        assertThat(walked).containsExactlyElementsOf(all).hasSizeGreaterThan(100);
    }
}
