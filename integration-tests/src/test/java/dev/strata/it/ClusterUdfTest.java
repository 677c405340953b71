package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.cluster.ClusterSettings;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * UDF modules across members, in one JVM on real Hazelcast: a member that was away while modules
 * were registered, replaced and unloaded comes back with the cluster's modules (an unloaded one
 * stays unloaded, though its own tier still had it), and two members replacing one module at the
 * same moment end with the same version on every member.
 */
class ClusterUdfTest {
    @TempDir Path dir;
    private final Node[] members = new Node[3];
    private List<Integer> ports;

    @AfterEach
    void close() {
        for (Node n : members) if (n != null) n.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    private Node member(int i) {
        ClusterSettings s = ClusterSettings.loopback("cu-" + ports.get(0), ports.get(i), ports).withPartitions(11).withQuorum(2);
        return Node.open(NodeConfig.builder(dir.resolve("m" + i)).cluster("hazelcast", s).build());
    }

    private static UdfModuleSource plus(String name, int k, String version) {
        String wat = "(module (func (export \"f\") (param i32) (result i32) local.get 0 i32.const " + k + " i32.add))";
        return new UdfModuleSource(name, wat.getBytes(StandardCharsets.UTF_8), "wat", version, "", Map.of(), Map.of());
    }

    private static Optional<String> version(Node n, String module) {
        return n.queries().tiers().modules("wasm_udf").describe(module).map(UdfModuleInfo::version);
    }

    private void awaitInLine(int count) {
        Await.until(count + " members in line", () -> {
            List<String> states = new ArrayList<>();
            for (Node n : members) if (n != null) states.add(n.fabric().members().size() + "/" + n.partitioned().inLine());
            return states;
        }, states -> states.size() == count && states.stream().allMatch((count + "/true")::equals));
    }

    @Test
    void aMemberThatWasAwayComesBackWithTheClustersModules() throws Exception {
        ports = List.of(freePort(), freePort(), freePort());
        for (int i = 0; i < 3; i++) members[i] = member(i);
        awaitInLine(3);
        members[1].partitioned().udfs().register("wasm_udf", plus("a", 1, "1"));
        members[0].partitioned().udfs().register("wasm_udf", plus("b", 1, "1"));
        for (Node n : members) {
            assertThat(version(n, "a")).contains("1");
            assertThat(version(n, "b")).contains("1");
        }

        members[2].close();
        members[2] = null;
        awaitInLine(2);
        assertThat(members[0].partitioned().udfs().unload("wasm_udf", "a")).isTrue();
        assertThat(members[1].partitioned().udfs().unload("wasm_udf", "a")).as("already unloaded everywhere").isFalse();
        members[1].partitioned().udfs().register("wasm_udf", plus("b", 2, "2"));
        members[1].partitioned().udfs().register("wasm_udf", plus("c", 3, "1"));
        for (int i = 0; i < 2; i++) {
            assertThat(version(members[i], "a")).isEmpty();
            assertThat(version(members[i], "b")).contains("2");
        }

        members[2] = member(2);
        awaitInLine(3);
        Node back = members[2];
        assertThat(version(back, "a")).as("unloaded while it was away: its own copy does not come back").isEmpty();
        assertThat(version(back, "b")).contains("2");
        assertThat(version(back, "c")).contains("1");
        for (Node n : members) assertThat(n.partitioned().udfs().digests()).isEqualTo(members[0].partitioned().udfs().digests());
    }

    @Test
    void twoMembersReplacingOneModuleAtOnceAgreeOnTheLast() throws Exception {
        ports = List.of(freePort(), freePort(), freePort());
        for (int i = 0; i < 3; i++) members[i] = member(i);
        awaitInLine(3);
        members[0].partitioned().udfs().register("wasm_udf", plus("r", 1, "1"));
        for (int round = 0; round < 5; round++) {
            String x = "x" + round;
            String y = "y" + round;
            CompletableFuture<?> a = CompletableFuture.runAsync(() -> members[0].partitioned().udfs().register("wasm_udf", plus("r", 2, x)));
            CompletableFuture<?> b = CompletableFuture.runAsync(() -> members[2].partitioned().udfs().register("wasm_udf", plus("r", 3, y)));
            CompletableFuture.allOf(a, b).join();
            List<Optional<String>> versions = Await.until("one version of r on every member", () -> {
                List<Optional<String>> vs = new ArrayList<>();
                for (Node n : members) vs.add(version(n, "r"));
                return vs;
            }, vs -> vs.stream().distinct().count() == 1);
            assertThat(versions.get(0)).get().isIn(x, y);
            for (Node n : members) assertThat(n.partitioned().udfs().digests()).isEqualTo(members[1].partitioned().udfs().digests());
        }
    }
}
