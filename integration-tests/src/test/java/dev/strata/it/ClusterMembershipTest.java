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
 * every partition has exactly one owner, and after a kill -9 of one member the other two own
 * every partition again. (Issue 18's first step: membership and partitions, no data yet.)
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
                    "--cluster-port", Integer.toString(ports.get(i)), "--cluster-seeds", seeds, "--partitions", "23", "--quorum", "2"));
        }
        for (ChildNode n : nodes) n.await("/cluster", r -> r.status() == 200 && members(r) == 3);
        assertPartitionsOwnedOnce(nodes, 23);
        TestNode.Response c = nodes.get(0).get("/cluster");
        assertThat(c.get("fabric")).isEqualTo(Value.of("distributed"));
        assertThat(c.get("quorum")).isEqualTo(Value.TRUE);

        nodes.remove(2).kill();
        for (ChildNode n : nodes) n.await("/cluster", r -> r.status() == 200 && members(r) == 2);
        assertPartitionsOwnedOnce(nodes, 23);
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
