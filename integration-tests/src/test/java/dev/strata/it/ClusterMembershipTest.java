package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three data-node processes with {@code --cluster hazelcast} on loopback: they form one cluster,
 * every partition has exactly one owner, a query over HTTP on any member answers over every
 * member's documents (merged, with cursors and groups), and after a kill -9 of one member the
 * other two own every partition again.
 */
class ClusterMembershipTest {
    @TempDir Path dir;
    private final List<ChildNode> nodes = new ArrayList<>();

    @AfterEach
    void stop() { nodes.forEach(ChildNode::close); }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    private static List<Long> owned(TestNode.Response r) {
        return ((Value.ArrayValue) r.get("owned")).elements().stream().map(v -> ((Value.IntValue) v).value()).toList();
    }

    private static int members(TestNode.Response r) { return ((Value.ArrayValue) r.get("members")).elements().size(); }

    @Test
    void threeMemberProcessesShareThePartitionsAndTakeOverADeadMembers() throws Exception {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        String seeds = String.join(",", ports.stream().map(p -> "127.0.0.1:" + p).toList());
        for (int i = 0; i < 3; i++) {
            nodes.add(ChildNode.start(dir.resolve("m" + i), List.of(), "--cluster", "hazelcast", "--cluster-name", "it-" + ports.get(0),
                    "--cluster-port", Integer.toString(ports.get(i)), "--cluster-seeds", seeds, "--partitions", "23", "--quorum", "2",
                    "--cluster-retry-ms", "3000"));
        }
        for (ChildNode n : nodes) n.await("/cluster", r -> r.status() == 200 && members(r) == 3);
        assertPartitionsOwnedOnce(nodes, 23);
        TestNode.Response c = nodes.get(0).get("/cluster");
        assertThat(c.get("fabric")).isEqualTo(Value.of("distributed"));
        assertThat(c.get("quorum")).isEqualTo(Value.TRUE);

        // a collection created on one member exists on all; documents written through any member go to their
        // partitions' owners, and a query over HTTP on any member runs on every member and merges
        nodes.get(0).createCollection("docs", null);
        for (ChildNode n : nodes) n.await("/collections/docs", r -> r.status() == 200);
        for (int i = 0; i < 3; i++) {
            StringBuilder bulk = new StringBuilder();
            for (int d = 0; d < 20; d++) {
                bulk.append("{\"_id\":\"m").append(i).append("-").append(d).append("\",\"n\":").append(i * 100 + d)
                        .append(",\"k\":\"k").append(d % 3).append("\"}\n");
            }
            assertThat(nodes.get(i).send("POST", "/collections/docs/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status())
                    .isEqualTo(200);
        }
        TestNode.Response top = nodes.get(1).query("docs", "n >= 5 ORDER BY n DESC LIMIT 4");
        assertThat(top.status()).as(top.raw()).isEqualTo(200);
        assertThat(top.get("total")).isEqualTo(Value.of(55L));
        assertThat(top.get("members")).isEqualTo(Value.of(3L));
        assertThat(top.ids()).containsExactly("m2-19", "m2-18", "m2-17", "m2-16");
        List<String> walked = new ArrayList<>(nodes.get(0).query("docs", "ORDER BY n").ids());
        Value next = nodes.get(0).query("docs", "ORDER BY n").get("next");
        while (next instanceof Value.StringValue cursor) {
            TestNode.Response page = nodes.get(2).get("/collections/docs/query?cursor=" + cursor.value());
            walked.addAll(page.ids());
            next = page.get("next");
        }
        assertThat(walked).hasSize(60).doesNotHaveDuplicates();
        TestNode.Response groups = nodes.get(0).query("docs", "SELECT k, COUNT(*) AS c GROUP BY k");
        assertThat(((Value.ArrayValue) groups.get("groups")).elements()).extracting(g -> ((Value.ObjectValue) g).get("c"))
                .containsExactly(Value.of(21L), Value.of(21L), Value.of(18L));
        // facets count over every member's matches, merged exactly
        TestNode.Response faceted = nodes.get(2).get("/collections/docs/query?q=n%3E%3D0%20LIMIT%200&facets=k&facet_size=2");
        assertThat(faceted.status()).as(faceted.raw()).isEqualTo(200);
        assertThat(faceted.raw()).contains("\"facets\":{\"k\":{\"buckets\":[{\"value\":\"k0\",\"count\":21},{\"value\":\"k1\",\"count\":21}],\"other\":18,\"missing\":0}}");
        // explain shows each member's plan over the partitions it answered for: every partition once
        TestNode.Response explained = nodes.get(0).get("/collections/docs/explain?q=n%3E1");
        assertThat(explained.status()).as(explained.raw()).isEqualTo(200);
        List<Value> plans = ((Value.ArrayValue) explained.get("explain", "members")).elements();
        assertThat(plans).hasSize(3);
        List<Long> answeredFor = new ArrayList<>();
        long matched = 0;
        for (Value p : plans) {
            ((Value.ArrayValue) ((Value.ObjectValue) p).get("partitions")).elements().forEach(x -> answeredFor.add(((Value.IntValue) x).value()));
            matched += ((Value.IntValue) ((Value.ObjectValue) p).get("matched")).value();
            assertThat(((Value.ObjectValue) p).get("plan")).isInstanceOf(Value.ObjectValue.class);
        }
        assertThat(answeredFor).hasSize(23).doesNotHaveDuplicates();
        assertThat(matched).isEqualTo(58);
        TestNode.Response profiled = nodes.get(0).get("/collections/docs/query?q=n%3E1&profile=true");
        assertThat(profiled.status()).as(profiled.raw()).isEqualTo(200);
        List<Value> profiles = ((Value.ArrayValue) profiled.get("profile", "members")).elements();
        assertThat(profiles).hasSize(3).allSatisfy(p -> assertThat(((Value.ObjectValue) ((Value.ObjectValue) p).get("profile")).get("execute_ms"))
                .isInstanceOf(Value.FloatValue.class));

        nodes.remove(2).kill();
        for (ChildNode n : nodes) n.await("/cluster", r -> r.status() == 200 && members(r) == 2);
        assertPartitionsOwnedOnce(nodes, 23);
        assertThat(nodes.get(0).send("PUT", "/collections/docs/docs/after", "application/json", "{\"n\":1}", false).status())
                .as("2 of 3 is a quorum of 2: writes go on").isEqualTo(201);
        for (ChildNode n : nodes) n.await("/cluster", r -> r.status() == 200 && r.get("in_line") == Value.TRUE && r.get("settled") == Value.TRUE);

        nodes.remove(1).kill(); // now one member alone: a minority of the quorum
        ChildNode alone = nodes.get(0);
        alone.await("/cluster", r -> r.status() == 200 && members(r) == 1);
        TestNode.Response refused = alone.send("PUT", "/collections/docs/docs/lonely", "application/json", "{\"n\":1}", false);
        assertThat(refused.status()).as(refused.raw()).isEqualTo(503);
        assertThat(refused.error()).isEqualTo("UNAVAILABLE");
        assertThat(refused.message()).contains("fewer than the quorum of 2 that writes need");
        TestNode.Response health = alone.await("/health", r -> r.raw().contains("fewer than the quorum of 2"));
        assertThat(health.get("status")).as("a member without quorum says so on /health").isEqualTo(Value.of("degraded"));
        // after the first kill the two survivors copied every partition to each other (owner and backup),
        // so the last one standing still answers over every document, though it takes no writes
        TestNode.Response all = Await.until("the last member's answer over every document", () -> alone.query("docs", "n >= 0 LIMIT 1"),
                r -> r.status() == 200 && Value.of(61L).equals(r.get("total")));
        assertThat(all.get("total")).isEqualTo(Value.of(61L));
    }

    /** Polls until the members' owned partitions are disjoint and cover 0..n-1. */
    private static void assertPartitionsOwnedOnce(List<ChildNode> members, int n) {
        Await.until("every partition owned by exactly one member", () -> {
            List<Long> all = new ArrayList<>();
            for (ChildNode m : members) all.addAll(owned(m.get("/cluster")));
            return all;
        }, all -> {
            Set<Long> distinct = new HashSet<>(all);
            return all.size() == n && distinct.size() == n;
        });
    }
}
