package dev.strata.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.node.cluster.ClusterFabric;
import dev.strata.node.cluster.ClusterFabricFactory;
import dev.strata.node.cluster.ClusterMember;
import dev.strata.node.cluster.ClusterSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Three embedded members on loopback in one JVM: they form one cluster, split the partitions and run tasks everywhere. */
class HazelcastFabricTest {
    private static final Duration PATIENCE = Duration.ofMinutes(5);
    private final List<ClusterFabric> members = new ArrayList<>();

    @AfterEach
    void stop() { members.forEach(ClusterFabric::close); }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("waited " + PATIENCE + " for " + what);
            Thread.sleep(100);
        }
    }

    /** Settled, and the members' owned partitions are disjoint and cover 0..n-1 (read in one go). */
    private static boolean ownedOnce(List<ClusterFabric> members, int n) {
        if (!members.stream().allMatch(ClusterFabric::settled)) return false;
        Set<Integer> seen = new HashSet<>();
        int sum = 0;
        for (ClusterFabric m : members) {
            seen.addAll(m.ownedPartitions());
            sum += m.ownedPartitions().size();
        }
        return seen.size() == n && sum == n;
    }

    @Test
    void threeMembersFormOneClusterOwnEveryPartitionOnceAndAgreeOnEachDocumentsPartition() throws Exception {
        List<Integer> ports = List.of(freePort(), freePort(), freePort());
        ClusterFabricFactory factory = ClusterFabricFactory.named("hazelcast");
        for (int port : ports) {
            members.add(factory.start(ClusterSettings.loopback("strata-test-" + ports.get(0), port, ports).withPartitions(31).withQuorum(2)));
        }
        await("three members", () -> members.stream().allMatch(m -> m.members().size() == 3));
        AtomicInteger changes = new AtomicInteger();
        members.get(0).onChange(changes::incrementAndGet);
        // Hazelcast rebalances onto members that joined a moment after the first: wait until each owns some
        await("every partition owned by exactly one member, each member owning some",
                () -> ownedOnce(members, 31) && members.stream().noneMatch(m -> m.ownedPartitions().isEmpty()));
        Set<Integer> seen = new HashSet<>();
        for (ClusterFabric m : members) {
            for (int p : m.ownedPartitions()) assertThat(seen.add(p)).as("partition " + p + " has one owner").isTrue();
            assertThat(m.hasQuorum()).isTrue();
            assertThat(m.localMember().address()).startsWith("127.0.0.1:");
        }
        for (String id : List.of("p1", "p2", "doc-42", "ü", "")) {
            int p = members.get(0).partitionOf(id);
            assertThat(p).isBetween(0, 30);
            for (ClusterFabric m : members) {
                assertThat(m.partitionOf(id)).as(id).isEqualTo(p);
                assertThat(m.owner(p)).isPresent();
            }
        }
        // every partition's backup is a member other than its owner, and all members agree on both
        for (int p = 0; p < 31; p++) {
            ClusterMember owner = members.get(0).owner(p).orElseThrow();
            ClusterMember backup = members.get(0).backup(p).orElseThrow();
            assertThat(backup.id()).as("partition " + p).isNotEqualTo(owner.id());
            for (ClusterFabric m : members) {
                assertThat(m.owner(p).orElseThrow().id()).isEqualTo(owner.id());
                assertThat(m.backup(p).orElseThrow().id()).isEqualTo(backup.id());
            }
        }
        for (int i = 0; i < members.size(); i++) members.get(i).register(String.class, "member " + i);
        // a task sent to one member runs there, and a task's own error arrives as itself
        ClusterMember third = members.get(2).localMember();
        String there = members.get(0).runOn(third, ctx -> ctx.service(String.class));
        assertThat(there).isEqualTo("member 2");
        String onLeaf = members.get(0).runOn(third, new Leaf());
        assertThat(onLeaf).isEqualTo("member 2 on strata-cluster-leaf");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> members.get(0).runOn(third, ctx -> {
            throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.NOT_FOUND, "nothing here");
        })).isInstanceOfSatisfying(dev.strata.core.StrataException.class, e -> assertThat(e.code()).isEqualTo(dev.strata.core.ErrorCode.NOT_FOUND));
        Map<ClusterMember, String> answers = members.get(1).runOnMembers(ctx -> ctx.service(String.class) + " owns " + ctx.ownedPartitions().size());
        assertThat(answers).hasSize(3);
        assertThat(answers.values()).allMatch(a -> a.matches("member [0-2] owns \\d+"));

        members.remove(2).close();
        await("two members", () -> members.stream().allMatch(m -> m.members().size() == 2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> members.get(0).runOn(third, ctx -> "x"))
                .isInstanceOfSatisfying(dev.strata.core.StrataException.class, e -> assertThat(e.code()).isEqualTo(dev.strata.core.ErrorCode.UNAVAILABLE));
        await("the partitions moved", () -> ownedOnce(members, 31));
        assertThat(members.get(0).hasQuorum()).as("2 of 3 is still a quorum of 2").isTrue();
        await("the change was heard", () -> changes.get() > 0);
    }

    /** A leaf task: it runs on the leaf executor, apart from tasks that wait on other members. */
    private record Leaf() implements dev.strata.node.cluster.ClusterTask<String> {
        @Override
        public String run(dev.strata.node.cluster.MemberContext ctx) { return ctx.service(String.class) + " on " + Thread.currentThread().getName(); }

        @Override
        public boolean leaf() { return true; }
    }
}
