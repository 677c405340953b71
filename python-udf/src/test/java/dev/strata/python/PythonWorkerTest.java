package dev.strata.python;

import static dev.strata.core.testkit.UdfBatches.run;
import static dev.strata.core.testkit.UdfBatches.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.StrataException;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.value.Value;
import dev.strata.python.internal.PythonModuleVersion;
import dev.strata.python.internal.PythonWorkerPool;
import dev.strata.python.internal.WorkerPythonUdf;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Python in real worker processes: results, deadlines the worker honours, hangs it cannot, deaths. */
class PythonWorkerTest {
    static final String SOURCE = """
            import itertools
            import time

            def taxed(price, rate):
                return price * (1 + rate)

            def label(doc):
                return doc['name'].upper()

            def spin(n):
                while True:
                    n += 1

            def hang(n):
                return sum(itertools.count())

            def bomb(n):
                return len('x' * (10 ** 12))

            def slow(n):
                time.sleep(3)
                return n

            def shout(n):
                raise ValueError('E' * 50_000_000)

            def huge(n):
                return 'x' * 2_000_000
            """;
    static final Map<String, String> SIGS = Map.of("taxed", "(float, float) -> float", "label", "(doc) -> str",
            "spin", "(int) -> int", "hang", "(int) -> int", "bomb", "(int) -> int", "slow", "(int) -> int",
            "shout", "(int) -> int", "huge", "(int) -> str");
    /** Long enough for a worker to start on a loaded machine: tests wait for conditions, never for a guess. */
    static final long PATIENCE_NANOS = 600_000_000_000L;
    /** Far above what a module's top level takes on a loaded machine, so only the looping modules below reach it. */
    static final long LOAD_LIMIT_MILLIS = 20_000;

    static PythonWorkerPool pool;
    static PythonModuleVersion module;

    @BeforeAll
    static void start() {
        pool = new PythonWorkerPool(new PythonWorkerPool.Settings(1, 256, Path.of("target", "graal-compiler"), Path.of("target", "graalpy-cache"),
                PythonWorkerPool.Settings.DEFAULT_START_TIMEOUT_MILLIS, LOAD_LIMIT_MILLIS, 600_000, 1 << 20, null));
        pool.start();
        module = PythonModuleVersion.load("shop", SOURCE, SIGS, 1);
    }

    @AfterAll
    static void stop() { pool.close(); }

    static WorkerPythonUdf fn(String name) { return new WorkerPythonUdf(pool, module, "shop@1", name); }

    static final Segment DOCS = segment("{\"name\":\"a\"}", "{\"name\":\"bé\"}", "{\"name\":\"c\"}");

    void assertStillServes() {
        assertThat(run(fn("taxed"), DOCS, ExecutionContext.withBudget(PATIENCE_NANOS), new Object[] {100.0, 10.0, null}, new Object[] {0.5, 0.0, 1.0}))
                .containsExactly(Value.of(150.0), Value.of(10.0), Value.NULL);
    }

    @Test
    void batchesGoToTheWorkerAndResultsComeBack() {
        assertStillServes();
        assertThat(run(fn("label"), DOCS, ExecutionContext.unbounded())).containsExactly(Value.of("A"), Value.of("BÉ"), Value.of("C"));
    }

    @Test
    void aPythonLoopIsInterruptedByTheWorkerItself() {
        int before = pool.replaced();
        assertThatThrownBy(() -> run(fn("spin"), DOCS, ExecutionContext.withBudget(400_000_000L), new Object[] {1L, 2L, 3L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf('shop.spin') was stopped on document 'd0' at the query deadline")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(pool.replaced()).as("the worker survived").isEqualTo(before);
        assertStillServes();
    }

    @Test
    void aLoopInsideABuiltinGetsTheWorkerKilledAndReplaced() {
        int before = pool.replaced();
        assertThatThrownBy(() -> run(fn("hang"), DOCS, ExecutionContext.withBudget(400_000_000L), new Object[] {1L, 2L, 3L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf('shop.hang') did not stop at the query deadline of 400 ms; its worker was killed")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(pool.replaced()).isEqualTo(before + 1);
        assertStillServes();
    }

    @Test
    void aMemoryBombFailsInsideItsCappedWorker() {
        assertThatThrownBy(() -> run(fn("bomb"), DOCS, ExecutionContext.withBudget(PATIENCE_NANOS), new Object[] {1L, 2L, 3L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf('shop.bomb')")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.UDF_FAILED));
        assertStillServes();
    }

    @Test
    void aWorkerKilledMidQueryIsReportedAndReplaced() throws Exception {
        assertStillServes(); // a worker is idle now
        long pid = pool.idlePids().get(0);
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        });
        killer.start();
        assertThatThrownBy(() -> run(fn("slow"), DOCS, ExecutionContext.withBudget(PATIENCE_NANOS), new Object[] {1L, 2L, 3L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf('shop.slow') failed: its Python worker died")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.UDF_FAILED));
        killer.join();
        assertStillServes();
    }

    @Test
    void aHugeExceptionTextIsCutShortWithAMarker() {
        assertThatThrownBy(() -> run(fn("shout"), DOCS, ExecutionContext.withBudget(PATIENCE_NANOS), new Object[] {1L, 2L, 3L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf('shop.shout') failed on document 'd0': ValueError: EEEE")
                .hasMessageContaining("(truncated; ")
                .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(Messages.MAX_MESSAGE + 200));
        assertStillServes();
    }

    @Test
    void aStringResultOverTheLimitFailsTheCallByName() {
        assertThatThrownBy(() -> run(fn("huge"), DOCS, ExecutionContext.withBudget(PATIENCE_NANOS), new Object[] {1L, 2L, 3L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf('shop.huge') returned a string of 1.9 MiB on document 'd0'; a result is at most 1 MiB")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.UDF_FAILED));
        assertStillServes();
    }

    @Test
    void aModuleWhoseTopLevelLoopsIsStoppedByTheWorkerAtTheLoadLimit() {
        assertStillServes();
        int before = pool.replaced();
        PythonModuleVersion looping = PythonModuleVersion.declare("looping", "while True:\n    pass\n", Map.of("f", "(int) -> int"), 1);
        assertThatThrownBy(() -> pool.check("looping@1", looping))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf module 'looping' did not finish loading within " + LOAD_LIMIT_MILLIS + " ms")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(pool.replaced()).as("the worker interrupted the module itself and lives on").isEqualTo(before);
        assertStillServes();
    }

    @Test
    void aModuleThatLoopsInsideABuiltinCostsItsWorkerAndTheTierRecovers() {
        assertStillServes();
        int before = pool.replaced();
        PythonModuleVersion stuck = PythonModuleVersion.declare("stuck", "import itertools\nsum(itertools.count())\n",
                Map.of("f", "(int) -> int"), 1);
        assertThatThrownBy(() -> pool.check("stuck@1", stuck))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("python_udf module 'stuck' did not finish loading within " + LOAD_LIMIT_MILLIS + " ms and its worker could not interrupt it")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(pool.replaced()).isEqualTo(before + 1);
        assertStillServes();
    }

    @Test
    void aWorkerKilledWhileIdleIsReplacedBeforeTheNextCall() {
        assertStillServes();
        for (long pid : pool.idlePids()) {
            ProcessHandle h = ProcessHandle.of(pid).orElseThrow();
            h.destroyForcibly();
            h.onExit().join(); // dead before the next call borrows it
        }
        assertStillServes();
        PythonWorkerPool.State s = pool.state();
        assertThat(s.running()).isEqualTo(1);
        assertThat(s.startFailures()).isZero();
    }

    @Test
    void aModuleThatStopsANewWorkerWhileItLoadsIsReportedAndLeftOutOfTheNextOne() {
        PythonModuleVersion stuck = PythonModuleVersion.declare("stuck", "import itertools\nsum(itertools.count())\n",
                Map.of("f", "(int) -> int"), 1);
        Map<String, PythonModuleVersion> stored = new java.util.concurrent.ConcurrentHashMap<>(Map.of("stuck@1", stuck, "shop@1", module));
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (PythonWorkerPool p = new PythonWorkerPool(pool.settings())) {
            p.preload(() -> stored);
            p.onModuleKilledWorker((key, why) -> {
                reported.add(key + ": " + why.getMessage());
                stored.remove(key); // as the registry does: a failed module is not preloaded again
            });
            p.start();
            assertThat(run(new WorkerPythonUdf(p, module, "shop@1", "taxed"), DOCS, ExecutionContext.withBudget(PATIENCE_NANOS),
                    new Object[] {100.0, 10.0, null}, new Object[] {0.5, 0.0, 1.0}))
                    .containsExactly(Value.of(150.0), Value.of(10.0), Value.NULL);
            assertThat(reported).containsExactly("stuck@1: python_udf module 'stuck' stopped a worker from answering while it loaded"
                    + " (it did not finish within " + LOAD_LIMIT_MILLIS + " ms and could not be interrupted)");
            assertThat(p.state().startFailures()).as("not a failed start: the module, not the worker, was at fault").isZero();
        }
    }
}
