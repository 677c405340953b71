package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.cluster.ClusterSettings;
import dev.strata.node.cluster.DistributedQuery;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
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
 * The cluster's catalog (UDF modules and collections) across members, in one JVM on real
 * Hazelcast: a member that was away while modules were registered, replaced and unloaded, and
 * while collections were dropped and created again, comes back with the cluster's modules and
 * collections (what was unloaded or dropped stays gone, though the member still had it); and two
 * members replacing one module at the same moment end with the same version on every member.
 */
class ClusterCatalogTest {
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
        ClusterSettings s = ClusterSettings.loopback("cat-" + ports.get(0), ports.get(i), ports).withPartitions(11).withQuorum(2);
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

    private static long count(Node asked, String collection) {
        return DistributedQuery.run(asked, collection, "SELECT COUNT(*) AS n", null, 10).total();
    }

    private static void write(Node via, String collection, String... ids) {
        List<Collection.Document> docs = new ArrayList<>();
        for (String id : ids) docs.add(new Collection.Document(id, new Value.ObjectValue(Map.of("k", Value.of(id)))));
        assertThat(via.partitioned().writes().bulk(collection, docs).rejectedCount()).isZero();
        via.partitioned().writes().refresh(collection);
    }

    @Test
    void aMemberThatWasAwayComesBackWithoutTheCollectionsDroppedMeanwhile() throws Exception {
        ports = List.of(freePort(), freePort(), freePort());
        for (int i = 0; i < 3; i++) members[i] = member(i);
        awaitInLine(3);
        for (String c : List.of("keep", "gone", "again")) {
            members[0].partitioned().writes().create(c, Mappings.NONE, 0);
            write(members[1], c, "a", "b", "c", "d", "e", "f");
        }

        members[2].close();
        members[2] = null;
        awaitInLine(2);
        members[0].partitioned().writes().drop("gone");
        members[1].partitioned().writes().drop("again");
        members[1].partitioned().writes().create("again", Mappings.NONE, 77);
        write(members[0], "again", "new");

        members[2] = member(2);
        awaitInLine(3);
        Node back = members[2];
        assertThat(back.collectionNames()).as("dropped while it was away").doesNotContain("gone").contains("keep", "again");
        assertThat(back.collection("again").fields().max()).as("the new collection, not its old copy").isEqualTo(77);
        for (Node asked : members) {
            assertThat(count(asked, "keep")).isEqualTo(6);
            assertThat(count(asked, "again")).as("none of the old collection's documents come back").isEqualTo(1);
        }
        members[0].close();
        members[0] = member(0);
        awaitInLine(3);
        assertThat(members[0].collectionNames()).as("the drop is kept across a restart").doesNotContain("gone");
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
