package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.cluster.ClusterSettings;
import dev.strata.node.cluster.DistributedQuery;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster that changes under a query loop, in one JVM: a WASM module registered on one member
 * reaches every member; a new version replaces it while queries run; a fourth member joins (and
 * takes the modules before it answers) and then the oldest leaves. Every answer equals a single
 * node's answer under one version of the module, or is a retryable UNAVAILABLE; never a mix.
 */
class ClusterChangeTest {
    @TempDir Path dir;
    private final List<Node> members = new CopyOnWriteArrayList<>();
    private Node oracleNode;
    private List<Integer> ports;

    @AfterEach
    void close() {
        members.forEach(Node::close);
        if (oracleNode != null) oracleNode.close();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    private Node member(int i) {
        ClusterSettings s = ClusterSettings.loopback("cc-" + ports.get(0), ports.get(i), ports).withPartitions(23).withQuorum(2);
        return Node.open(NodeConfig.builder(dir.resolve("m" + i)).refreshInterval(Duration.ofMillis(200)).cluster("hazelcast", s).build());
    }

    private static UdfModuleSource plus(String name, int k, String version) {
        String wat = "(module (func (export \"f\") (param i32) (result i32) local.get 0 i32.const " + k + " i32.add))";
        return new UdfModuleSource(name, wat.getBytes(StandardCharsets.UTF_8), "wat", version, "", Map.of(), Map.of());
    }

    private static final List<String> QUERIES = List.of(
            "wasm_udf('M.f', qty) > 40 ORDER BY qty DESC LIMIT 7",
            "wasm_udf('M.f', qty) BETWEEN 25 AND 45 AND cat != 'c3' ORDER BY cat, qty LIMIT 5 OFFSET 4",
            "SELECT cat, COUNT(*) AS c, SUM(wasm_udf('M.f', qty)) AS s WHERE qty > 10 GROUP BY cat");

    /** What one query answers: its total and its hit ids, or its group rows. */
    private static String answer(long total, List<QueryExecutor.Hit> hits, QueryExecutor.Groups groups) {
        return total + " " + (groups != null ? groups.rows().toString() : hits.stream().map(QueryExecutor.Hit::id).toList().toString());
    }

    private String oracle(String text, String module) {
        QueryExecutor.Result r = oracleNode.queries().run(oracleNode.collection("docs"), text.replace("'M.f'", "'" + module + ".f'"), true).result();
        return answer(r.total(), r.hits(), r.groups());
    }

    /** Asks member {@code at} (modulo the members now) query {@code q}; null when it answered a retryable UNAVAILABLE. */
    private String ask(int at, String q) {
        Node asked = members.get(Math.floorMod(at, members.size()));
        try {
            DistributedQuery.Answer a = DistributedQuery.run(asked, "docs", q.replace("'M.f'", "'m.f'"), null, 10);
            return answer(a.total(), a.hits(), a.groups());
        } catch (StrataException e) {
            if (e.code() != ErrorCode.UNAVAILABLE) throw e;
            return null;
        }
    }

    private static final Duration PAUSE = Duration.ofMillis(20);

    @Test
    void modulesReachEveryMemberAndAnswersStayRightWhileMembersComeAndGo() throws Exception {
        ports = new ArrayList<>(List.of(freePort(), freePort(), freePort(), freePort()));
        for (int i = 0; i < 3; i++) members.add(member(i));
        Await.until("three members in line", () -> members.stream().allMatch(n -> n.fabric().members().size() == 3 && n.partitioned().inLine()), ok -> ok);

        oracleNode = Node.open(NodeConfig.defaults(dir.resolve("oracle")).withRefreshInterval(Duration.ZERO));
        Collection oracle = oracleNode.create("docs", Mappings.NONE);
        members.get(0).partitioned().writes().create("docs", Mappings.NONE, 0);
        List<Collection.Document> docs = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Value.ObjectValue d = new Value.ObjectValue(Map.of("qty", Value.of((long) (i * 7 % 50)), "cat", Value.of("c" + i % 7)));
            docs.add(new Collection.Document("d" + i, d));
            oracle.put("d" + i, d);
        }
        oracle.refresh();
        assertThat(members.get(2).partitioned().writes().bulk("docs", docs).rejectedCount()).isZero();
        members.get(0).partitioned().writes().refresh("docs");
        oracleNode.queries().tiers().modules("wasm_udf").register(plus("v1", 1, "1"));
        oracleNode.queries().tiers().modules("wasm_udf").register(plus("v2", 20, "2"));
        oracleNode.queries().udfModulesChanged();

        // registered on one member, the module answers on every member
        members.get(1).partitioned().udfs().register("wasm_udf", plus("m", 1, "1"));
        for (Node n : members) assertThat(n.queries().tiers().modules("wasm_udf").describe("m")).isPresent();
        for (int i = 0; i < 9; i++) assertThat(ask(i, QUERIES.get(i % 3))).as(QUERIES.get(i % 3)).isEqualTo(oracle(QUERIES.get(i % 3), "v1"));

        // replaced while queries run: each answer is all-old or all-new, and after the swap all-new
        AtomicInteger unavailable = new AtomicInteger();
        Thread swap = new Thread(() -> members.get(2).partitioned().udfs().register("wasm_udf", plus("m", 20, "2")));
        swap.start();
        int asked = 0;
        while (swap.isAlive() || asked < 6) {
            String q = QUERIES.get(asked % 3);
            String got = ask(asked++, q);
            if (got == null) unavailable.incrementAndGet();
            else assertThat(got).as(q).isIn(oracle(q, "v1"), oracle(q, "v2"));
            Thread.sleep(PAUSE);
        }
        swap.join();
        for (int i = 0; i < 9; i++) assertThat(ask(i, QUERIES.get(i % 3))).as(QUERIES.get(i % 3)).isEqualTo(oracle(QUERIES.get(i % 3), "v2"));

        // a fourth member joins during the loop: it takes the module and its partitions before it answers for them
        Thread join = new Thread(() -> members.add(member(3)));
        join.start();
        asked = loopUntil(() -> !join.isAlive() && members.size() == 4 && !members.get(3).fabric().ownedPartitions().isEmpty() && members.stream()
                .allMatch(n -> n.fabric().members().size() == 4 && n.fabric().settled() && n.partitioned().inLine()), asked, unavailable);
        Node fourth = members.get(3);
        assertThat(fourth.queries().tiers().modules("wasm_udf").describe("m").orElseThrow().version()).isEqualTo("2");
        assertThat(fourth.fabric().ownedPartitions()).as("the new member owns partitions").isNotEmpty();
        for (String q : QUERIES) assertThat(ask(3, q)).as(q).isEqualTo(oracle(q, "v2"));

        // the oldest member leaves during the loop
        Node leaving = members.remove(0);
        Thread leave = new Thread(leaving::close);
        leave.start();
        loopUntil(() -> !leave.isAlive() && members.stream()
                .allMatch(n -> n.fabric().members().size() == 3 && n.fabric().settled() && n.partitioned().inLine()), asked, unavailable);
        for (int i = 0; i < 9; i++) assertThat(ask(i, QUERIES.get(i % 3))).as(QUERIES.get(i % 3)).isEqualTo(oracle(QUERIES.get(i % 3), "v2"));
        System.out.println("cluster change loop: " + unavailable.get() + " retryable UNAVAILABLE answers");
    }

    /** What each member reports about its place in the cluster, for a failure message. */
    private String states() {
        StringBuilder out = new StringBuilder();
        for (Node n : members) {
            out.append("\n  ").append(n.fabric().localMember().address()).append(": sees ").append(n.fabric().members().size())
                    .append(", settled ").append(n.fabric().settled()).append(", in line ").append(n.partitioned().inLine())
                    .append(", owns ").append(n.fabric().ownedPartitions()).append(", problems ").append(n.health().problems());
        }
        return out.toString();
    }

    /** Queries until {@code done}: each answer equals the oracle under the new module, or is UNAVAILABLE. */
    private int loopUntil(java.util.function.BooleanSupplier done, int asked, AtomicInteger unavailable) throws InterruptedException {
        long until = System.nanoTime() + Await.PATIENCE.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("the cluster did not settle within " + Await.PATIENCE + ": " + states());
            String q = QUERIES.get(asked % 3);
            String got = ask(asked++, q);
            if (got == null) unavailable.incrementAndGet();
            else assertThat(got).as(q).isEqualTo(oracle(q, "v2"));
            Thread.sleep(PAUSE);
        }
        return asked;
    }
}
