package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python tier on a loaded machine and against hostile modules: real nodes in their own JVMs,
 * real worker processes, and two busy loops keeping both cores busy for the whole test. Nothing
 * here may depend on how fast the machine is: every wait polls for a condition.
 */
class PythonUnderLoadTest {
    @TempDir Path dir;
    private final List<Process> spinners = new ArrayList<>();

    @BeforeEach
    void keepBothCoresBusy() throws Exception {
        for (int i = 0; i < 2; i++) spinners.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
    }

    @AfterEach
    void stopSpinning() {
        for (Process p : spinners) p.destroyForcibly();
    }

    static String module(String source, Map<String, String> signatures) {
        String sigs = signatures.entrySet().stream().map(e -> Json.write(Value.of(e.getKey())) + ":" + Json.write(Value.of(e.getValue())))
                .collect(Collectors.joining(",", "{", "}"));
        return "{\"format\":\"python\",\"content\":" + Json.write(Value.of(source)) + ",\"signatures\":" + sigs + "}";
    }

    static ChildNode start(Path dataDir, String... args) {
        List<String> all = new ArrayList<>(List.of("--tier-setting", "python.worker.heap-mb=256"));
        all.addAll(List.of(args));
        return ChildNode.start(dataDir, List.of("-Xmx512m"), all.toArray(String[]::new));
    }

    static void loadDocs(ChildNode n) {
        n.createCollection("items", null);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 50; i++) b.append("{\"_id\":\"i").append(i).append("\",\"n\":").append(i).append("}\n");
        assertThat(n.send("POST", "/collections/items/bulk?refresh=true", "application/x-ndjson", b.toString(), false).status()).isEqualTo(200);
    }

    static TestNode.Response register(ChildNode n, String name, String source, Map<String, String> sigs) {
        return n.send("PUT", "/udfs/python_udf/" + name, "application/json", module(source, sigs), true);
    }

    static Set<Long> workers(ChildNode n) { return n.process.toHandle().children().map(ProcessHandle::pid).collect(Collectors.toSet()); }

    @Test
    void registrationsSucceedAndARestartKeepsEveryStoredModuleUnderLoad() {
        Path data = dir.resolve("node");
        Map<String, String> sig = Map.of("f", "(int) -> int");
        try (ChildNode n = start(data)) {
            loadDocs(n);
            for (int m = 0; m < 3; m++) {
                TestNode.Response r = register(n, "m" + m, "import math\ndef f(x):\n    return x + " + m + "\n", sig);
                assertThat(r.status()).as(r.raw()).isEqualTo(201);
                assertThat(r.get("state")).isEqualTo(Value.of("ready"));
            }
            assertThat(n.query("items", "python_udf('m2.f', n) = 7").ids()).containsExactly("i5");
        }
        long t0 = System.nanoTime();
        try (ChildNode n = start(data)) {
            long started = System.nanoTime();
            TestNode.Response listed = n.get("/udfs/python_udf");
            List<String> names = new ArrayList<>();
            for (Value m : ((Value.ArrayValue) listed.get("modules")).elements()) names.add(((Value.StringValue) ((Value.ObjectValue) m).get("name")).value());
            assertThat(names).as("every stored module is listed at once, loading or ready").containsExactly("m0", "m1", "m2");
            TestNode.Response early = n.query("items", "python_udf('m1.f', n) = 7");
            if (early.status() != 200) {
                assertThat(early.status()).as(early.raw()).isEqualTo(503);
                assertThat(early.error()).isEqualTo("UNAVAILABLE");
                assertThat(early.message()).contains("python_udf module 'm1' is still loading").contains("retry");
            }
            for (String m : names) n.await("/udfs/python_udf/" + m, r -> r.get("state").equals(Value.of("ready")));
            System.out.printf("PythonUnderLoadTest: 3 stored modules ready %d ms after the node listened (%d ms after its start), both cores busy%n",
                    (System.nanoTime() - started) / 1_000_000, (System.nanoTime() - t0) / 1_000_000);
            assertThat(n.query("items", "python_udf('m1.f', n) = 7").ids()).containsExactly("i6");
            assertThat(n.awaitHealthy().get("status")).isEqualTo(Value.of("ok"));
            Set<Long> pids = workers(n);
            assertThat(pids).isNotEmpty();
            n.kill();
            for (long pid : pids) ProcessHandle.of(pid).ifPresent(ChildNode::waitGone);
        }
    }

    @Test
    void hostileModulesCostOnlyThemselvesAndTheTierAlwaysRecovers() {
        Path data = dir.resolve("hostile");
        long lateAt;
        try (ChildNode n = start(data)) {
            loadDocs(n);
            assertThat(register(n, "ok", "def f(x):\n    return x * 2\n", Map.of("f", "(int) -> int")).status()).isEqualTo(201);
            // after this second the module's top level raises; it moves later until a registration makes it in time
            TestNode.Response late = null;
            lateAt = 0;
            for (long window : new long[] {30, 120, 600}) {
                lateAt = System.currentTimeMillis() / 1000 + window;
                late = register(n, "late", "import time\nif time.time() > " + lateAt + ":\n    raise RuntimeError('too late')\n"
                        + "def f(x):\n    return x\n", Map.of("f", "(int) -> int"));
                if (late.status() == 201 || !late.raw().contains("too late")) break;
            }
            assertThat(late.status()).as(late.raw()).isEqualTo(201);

            // a 50 MB exception text comes back short, with a marker
            assertThat(register(n, "loud", "def f(x):\n    raise ValueError('E' * 50_000_000)\n", Map.of("f", "(int) -> int")).status()).isEqualTo(201);
            TestNode.Response loud = n.query("items", "python_udf('loud.f', n) > 0");
            assertThat(loud.status()).as(loud.raw().substring(0, Math.min(500, loud.raw().length()))).isEqualTo(400);
            assertThat(loud.message()).contains("ValueError: EEEE").contains("(truncated; ");
            assertThat(loud.raw().length()).isLessThan(20_000);

            // an unknown function of a module with 10,000 names lists twenty of them
            StringBuilder many = new StringBuilder();
            Map<String, String> sigs = new TreeMap<>();
            for (int i = 0; i < 10_000; i++) {
                many.append("def f").append(i).append("(x):\n    return x\n");
                sigs.put("f" + i, "(int) -> int");
            }
            TestNode.Response big = register(n, "many", many.toString(), sigs);
            assertThat(big.status()).as(big.raw().substring(0, Math.min(500, big.raw().length()))).isEqualTo(201);
            TestNode.Response unknown = n.query("items", "python_udf('many.nope', n) > 0");
            assertThat(unknown.error()).isEqualTo("UNKNOWN_FUNCTION");
            assertThat(unknown.message()).contains("and 9980 more");
            assertThat(unknown.raw().length()).isLessThan(10_000);

            // kill -9 of the worker, then of its replacement while it starts: the tier comes back by itself
            Set<Long> first = workers(n);
            first.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            Set<Long> replacement = Await.until("a replacement worker process", () -> workers(n),
                    now -> !now.isEmpty() && now.stream().noneMatch(first::contains));
            replacement.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            Await.until("the tier answering again", () -> n.query("items", "python_udf('ok.f', n) = 8"), r -> r.status() == 200);
            assertThat(n.query("items", "python_udf('ok.f', n) = 8").ids()).containsExactly("i4");
            assertThat(n.awaitHealthy().get("status")).isEqualTo(Value.of("ok"));
        }
        // after its moment, the module 'late' fails at the start: listed as failed, degraded health, and it can be unloaded
        while (System.currentTimeMillis() / 1000 <= lateAt) Await.sleep(200); // the moment is where the loop above put it
        try (ChildNode n = start(data)) {
            TestNode.Response late = n.await("/udfs/python_udf/late", r -> r.get("state").toString().contains("failed"));
            assertThat(((Value.StringValue) late.get("state")).value()).contains("RuntimeError: too late");
            TestNode.Response health = n.await("/health", r -> r.status() == 503 && r.get("status").equals(Value.of("degraded")));
            assertThat(health.raw()).contains("module 'late' failed");
            TestNode.Response call = n.query("items", "python_udf('late.f', n) > 0");
            assertThat(call.error()).isEqualTo("UDF_FAILED");
            assertThat(call.message()).contains("python_udf module 'late' failed to load").contains("register it again once fixed, or unload it");
            n.await("/udfs/python_udf/ok", r -> r.get("state").equals(Value.of("ready")));
            assertThat(n.query("items", "python_udf('ok.f', n) = 8").ids()).containsExactly("i4");
            assertThat(n.send("DELETE", "/udfs/python_udf/late", null, null, true).status()).isEqualTo(200);
            n.await("/udfs/python_udf/many", r -> r.get("state").equals(Value.of("ready")));
            assertThat(n.awaitHealthy().get("status")).isEqualTo(Value.of("ok"));
        }
    }
}
