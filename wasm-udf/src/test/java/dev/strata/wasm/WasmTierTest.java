package dev.strata.wasm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static dev.strata.core.testkit.UdfBatches.run;
import static dev.strata.core.testkit.UdfBatches.segment;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.memory.MemoryBreaker;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WASM tier on the real Chicory: registration, calls through the pool, host functions, hostile modules. */
class WasmTierTest {
    @TempDir Path dir;
    WasmTierProvider tier;

    @BeforeEach
    void open() { tier = WasmTierProvider.openAt(dir, Map.of("wasm.memory.max-pages", "64")); }

    @AfterEach
    void close() { tier.close(); }

    static UdfModuleSource wat(String name, String text, Map<String, String> sigs) {
        return new UdfModuleSource(name, text.getBytes(StandardCharsets.UTF_8), "wat", "1.0", "test", sigs, Map.of());
    }

    UdfFunction fn(String qualified, int arity) {
        String[] mf = qualified.split("\\.");
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < arity; i++) args.add(new Expr.Literal(Value.NULL, Span.NONE));
        return tier.resolve(new Expr.UdfCall("wasm_udf", mf[0], mf[1], args, Span.NONE), List.of());
    }

    @Test
    void registersWatAndCallsScalarFunctionsWithTheirInferredSignatures() {
        UdfModuleInfo info = tier.register(wat("math", WatFixtures.text("math"), Map.of()));
        assertThat(info.functions()).extracting(UdfModuleInfo.Function::name, UdfModuleInfo.Function::signature)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("add", "(i32, i32) -> i32"),
                        org.assertj.core.groups.Tuple.tuple("half", "(f64) -> f64"));
        assertThat(info.sha256()).hasSize(64);
        Segment s = segment("{}", "{}", "{}");
        UdfFunction add = fn("math.add", 2);
        assertThat(add.parameterKinds()).containsExactly(ValueKind.INT, ValueKind.INT);
        assertThat(run(add, s, ExecutionContext.unbounded(), new Object[] {1L, null, -7L}, new Object[] {2L, 5L, 3L}))
                .containsExactly(Value.of(3L), Value.NULL, Value.of(-4L));
        assertThat(run(fn("math.half", 1), s, ExecutionContext.unbounded(), new Object[] {3.0, 1.0, null}))
                .containsExactly(Value.of(1.5), Value.of(0.5), Value.NULL);
    }

    @Test
    void hostFunctionsReadTheDocumentThroughHandles() {
        tier.register(wat("scan", WatFixtures.text("scan"), WatFixtures.SCAN_SIGNATURES));
        Segment s = segment("{\"price\": 100.0, \"qty\": 6}", "{\"price\": 10, \"qty\": 6}", "{\"qty\": 9}",
                "{\"price\": \"x\", \"qty\": 1}", "{\"price\": [300.5, 1], \"qty\": 2}");
        ExecutionContext run = ExecutionContext.unbounded();
        assertThat(run(fn("scan.pricey", 0), s, run))
                .containsExactly(Value.TRUE, Value.FALSE, Value.FALSE, Value.FALSE, Value.TRUE);
        assertThat(run(fn("scan.price_kind", 0), s, run))
                .containsExactly(Value.of(4L), Value.of(3L), Value.of(0L), Value.of(5L), Value.of(4L));
        assertThat(run.udfStats().get("wasm_udf('scan.pricey')").rows()).isEqualTo(5);
        assertThat(run.udfStats().get("wasm_udf('scan.pricey')").calls()).isEqualTo(5);
    }

    @Test
    void stringsCrossThroughLinearMemoryAndBatchesThroughColumns() {
        tier.register(wat("text", WatFixtures.text("strings"), WatFixtures.STRING_SIGNATURES));
        Segment s = segment("{}", "{}", "{}");
        assertThat(run(fn("text.len", 1), s, ExecutionContext.unbounded(), new Object[] {"héllo", "", null}))
                .containsExactly(Value.of(6L), Value.of(0L), Value.NULL);
        assertThat(run(fn("text.upper_first", 1), s, ExecutionContext.unbounded(), new Object[] {"strata", "x", null}))
                .containsExactly(Value.of("Strata"), Value.of("X"), Value.NULL);
        ExecutionContext run = ExecutionContext.unbounded();
        assertThat(run(fn("text.scale", 2), s, run, new Object[] {1.5, 2.0, null}, new Object[] {2L, null, 4L}))
                .containsExactly(Value.of(3.0), Value.NULL, Value.NULL);
        assertThat(run.udfStats().get("wasm_udf('text.scale')").calls()).as("one guest call per batch").isEqualTo(1);
    }

    @Test
    void badModulesAreRefusedWithEveryProblemInOneMessage() {
        assertRefused(new UdfModuleSource("junk", "not wasm at all".getBytes(StandardCharsets.UTF_8), "wasm", "", "", Map.of(), Map.of()),
                "wasm_udf module 'junk' was refused: it is not a valid WebAssembly module");
        assertRefused(wat("broken", "(module (func (export \"f\") (result i32) i32.add))", Map.of()),
                "the WebAssembly text of module 'broken' does not assemble: broken.wat:1:");
        assertRefused(wat("imports", """
                (module
                  (import "env" "now" (func (result i64)))
                  (import "strata" "get_i64" (func (param i32) (result i64)))
                  (import "strata" "launch" (func))
                  (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
                  (func (export "f") (result i32) i32.const 1))
                """, Map.of("f", "(string) -> i32", "g", "() -> i32")),
                "it imports env.now; a UDF may import only from 'strata'",
                "it imports strata.get_i64 as (i32) -> i64, but it is (i32, i64) -> i64",
                "it imports strata.launch, which does not exist",
                "it imports wasi_snapshot_preview1.fd_write but WASI is off for this module",
                "'f' is declared (string) -> i32, which needs the WebAssembly type (i32, i32) -> i32, but the export is () -> i32",
                "it declares a signature for 'g', which the module does not export");
        assertRefused(wat("huge", "(module (memory 100) (func (export \"f\") (result i32) i32.const 1))", Map.of()),
                "its memory starts at 100 pages, above the limit of 64 pages");
        assertRefused(wat("Bad-Name", WatFixtures.text("math"), Map.of()), "the name 'Bad-Name' is not valid");
        assertThat(tier.list()).isEmpty();
    }

    private void assertRefused(UdfModuleSource src, String... fragments) {
        assertThatThrownBy(() -> tier.register(src))
                .isInstanceOf(StrataException.class)
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .satisfies(e -> {
                    for (String f : fragments) assertThat(e.getMessage()).contains(f);
                });
    }

    @Test
    void hostileFunctionsFailClearlyAndThePoolKeepsServing() {
        tier.register(wat("evil", WatFixtures.text("hostile"), Map.of()));
        Segment s = segment("{}", "{}");
        Object[] ones = {1L, 2L};
        assertFails("evil.boom", s, ErrorCode.UDF_FAILED, "wasm_udf('evil.boom') failed on document 'd0': it trapped");
        assertFails("evil.divide", s, ErrorCode.UDF_FAILED, "wasm_udf('evil.divide') failed on document 'd0': it trapped");
        assertFails("evil.peek", s, ErrorCode.UDF_FAILED, "wasm_udf('evil.peek') failed on document 'd0'", 1L << 20);
        assertFails("evil.down", s, ErrorCode.UDF_FAILED, "ran out of call stack");
        // memory.grow is capped at the module's own maximum (2 pages), below the node's 64
        assertThat(run(fn("evil.grow", 1), s, ExecutionContext.unbounded(), ones)).containsExactly(Value.of(2L), Value.of(2L));

        // a module without a declared maximum is held to the node's cap (64 pages here), not Chicory's 65,536
        tier.register(wat("bomb", "(module (memory 1) (func (export \"grow\") (result i32)"
                + " (loop $l (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1)))) memory.size))", Map.of()));
        assertThat(run(fn("bomb.grow", 0), s, ExecutionContext.unbounded())).containsExactly(Value.of(64L), Value.of(64L));

        assertThatThrownBy(() -> run(fn("evil.spin", 1), s, ExecutionContext.withBudget(200_000_000L), ones))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("wasm_udf('evil.spin') was stopped on document 'd0' at the query deadline of 200 ms")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt flag is cleared").isFalse();

        assertThat(run(fn("evil.ok", 1), s, ExecutionContext.unbounded(), ones)).containsExactly(Value.of(2L), Value.of(3L));
        UdfModuleInfo info = tier.describe("evil").orElseThrow();
        assertThat((Integer) info.details().get("instancesDiscarded")).isGreaterThanOrEqualTo(5);
        assertThat(info.details().get("traps")).isEqualTo(5L);
    }

    static final Map<String, String> GREEDY = Map.of("big", "(string) -> string", "sized", "(i64) -> string", "name", "(string) -> i32");

    @Test
    void aStringResultOverTheLimitFailsTheCallAndTheInstanceIsReplaced() {
        tier.register(wat("greedy", WatFixtures.text("greedy"), GREEDY));
        Segment s = segment("{}", "{}");
        assertThatThrownBy(() -> run(fn("greedy.big", 1), s, ExecutionContext.unbounded(), new Object[] {"a", "b"}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("wasm_udf('greedy.big') failed on document 'd0': it returned a string of 15.9 MiB;"
                        + " a result is at most 1 MiB (setting wasm.result.max-bytes)")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.UDF_FAILED));
        assertThat(run(fn("greedy.sized", 1), s, ExecutionContext.unbounded(), new Object[] {3L, 0L}))
                .containsExactly(Value.of("\0\0\0"), Value.of(""));
    }

    @Test
    void stringResultsAreAccountedAgainstTheQueryMemoryBudget() {
        tier.register(wat("greedy", WatFixtures.text("greedy"), GREEDY));
        Segment s = segment("{}", "{}", "{}", "{}");
        MemoryBreaker node = new MemoryBreaker(64 << 20, 2 << 20);
        ExecutionContext run = ExecutionContext.of(0, node.newQueryBudget());
        Object[] sizes = {900_000L, 900_000L, 900_000L, 900_000L};
        assertThatThrownBy(() -> run(fn("greedy.sized", 1), s, run, sizes))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("this request's memory budget of 2 MiB is exhausted: ")
                .hasMessageContaining("string results needs")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED));
        run.memory().close();
        assertThat(node.reservedBytes()).as("everything is given back").isZero();
        assertThat(node.trips()).isEqualTo(1);
        // the instance was not at fault: the module keeps serving, within the budget
        assertThat(run(fn("greedy.sized", 1), s, ExecutionContext.of(0, node.newQueryBudget()), new Object[] {1L, 2L, 3L, 4L}))
                .extracting(v -> ((Value.StringValue) v).value().length()).containsExactly(1, 2, 3, 4);
        assertThat((Integer) tier.describe("greedy").orElseThrow().details().get("instancesDiscarded")).isZero();
    }

    @Test
    void fieldHandlesAreCappedPerModuleVersionAndPathsInLength() {
        tier.close();
        tier = WasmTierProvider.openAt(dir, Map.of("wasm.field-handles.max", "100"));
        tier.register(wat("greedy", WatFixtures.text("greedy"), GREEDY));
        String[] names = new String[150];
        for (int i = 0; i < names.length; i++) names[i] = "f" + i;
        Object[] col = names;
        Segment first = segment(java.util.Collections.nCopies(100, "{}").toArray(String[]::new));
        assertThat(run(fn("greedy.name", 1), first, ExecutionContext.unbounded(), Arrays.copyOf(col, 100)))
                .as("the same name always gets the same handle").hasSize(100).doesNotHaveDuplicates();
        Segment more = segment(java.util.Collections.nCopies(50, "{}").toArray(String[]::new));
        assertThatThrownBy(() -> run(fn("greedy.name", 1), more, ExecutionContext.unbounded(), Arrays.copyOfRange(col, 100, 150)))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("wasm_udf('greedy.name') failed on document 'd0': it asked for a handle for more than 100 distinct"
                        + " field paths (the limit per module version, setting wasm.field-handles.max)");
        assertThatThrownBy(() -> run(fn("greedy.name", 1), segment("{}"), ExecutionContext.unbounded(), new Object[] {"p".repeat(2000)}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("it asked for a handle for a field path of 2000 bytes; a path is at most 1024 bytes");
        assertThat(tier.describe("greedy").orElseThrow().details().get("fieldHandles")).isEqualTo(100);
    }

    @Test
    void aStartFunctionThatLoopsLaterIsStoppedAtTheQueryDeadline() throws Exception {
        // The start function loops once the clock passes a moment written into the module. Registering
        // must happen before that moment; a loaded machine may be slow to assemble and instantiate, so
        // the moment moves later until a registration makes it in time.
        long soon = 0;
        for (long window : new long[] {3_000, 20_000, 120_000}) {
            soon = (System.currentTimeMillis() + window) * 1_000_000L; // WASI realtime clock, nanoseconds
            try {
                tier.register(new UdfModuleSource("late", WatFixtures.startLoopsAfter(soon).getBytes(StandardCharsets.UTF_8), "wat", "1", "", Map.of(),
                        Map.of("wasi", "true")));
                break;
            } catch (StrataException e) {
                if (!e.getMessage().contains("its start function did not finish")) throw e;
            }
        }
        Segment s = segment("{}");
        assertThat(run(fn("late.ok", 1), s, ExecutionContext.unbounded(), new Object[] {7L})).containsExactly(Value.of(7L));
        while (System.currentTimeMillis() * 1_000_000L <= soon) Thread.sleep(50);
        // a trap discards the only instance; the next one's start function now loops
        assertThatThrownBy(() -> run(fn("late.boom", 1), s, ExecutionContext.unbounded(), new Object[] {1L})).hasMessageContaining("trapped");
        assertThatThrownBy(() -> run(fn("late.ok", 1), s, ExecutionContext.withBudget(300_000_000L), new Object[] {7L}))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("wasm_udf('late.ok') could not make an instance of its module: its start function was still running"
                        + " at the query deadline of 300 ms")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(tier.unload("late")).isTrue();
    }


    @Test
    void shapesWithoutABoundedCompileAndTextsWat2wasmCannotTakeAreRefusedClearly() {
        StringBuilder table = new StringBuilder("(module (func (export \"f\") (param i32) (result i32) (block (br_table");
        for (int i = 0; i < 70_000; i++) table.append(" 0");
        table.append(" (local.get 0))) (i32.const 1)))");
        assertRefused(wat("jump", table.toString(), Map.of()), "has a br_table with 69999 targets; at most 65520");
        String deep = "(module (func (export \"f\") (result i32) " + "(block ".repeat(10_000) + ")".repeat(10_000) + " (i32.const 1)))";
        assertRefused(wat("nest", deep, Map.of()), "the WebAssembly text of module 'nest' does not assemble");
        assertThat(tier.list()).isEmpty();
        StringBuilder big = new StringBuilder("(module (func (export \"f\") (param i32) (result i32) (block (br_table");
        for (int i = 0; i < 65_000; i++) big.append(" 0");
        big.append(" (local.get 0))) (i32.const 1)))");
        assertThat(tier.register(wat("bigjump", big.toString(), Map.of())).functions()).hasSize(1);
        StringBuilder many = new StringBuilder("(module");
        for (int f = 0; f < 5; f++) {
            many.append(" (func (export \"f").append(f).append("\") (param i32) (result i32) (block (br_table");
            for (int i = 0; i < 60_000; i++) many.append(" 0");
            many.append(" (local.get 0))) (i32.const 1))");
        }
        assertRefused(wat("jumps", many.append(")").toString(), Map.of()), "its br_tables have 299995 targets in all; at most 262144");
    }

    /** Waits (a long ceiling; a loaded machine is slower, never red) until a stored module has compiled. */
    private void awaitReady(String module) {
        long until = System.nanoTime() + 300_000_000_000L;
        String state;
        while (!(state = tier.describe(module).orElseThrow().state()).equals("ready")) {
            assertThat(state).isEqualTo("loading");
            assertThatThrownBy(() -> fn(module + ".x", 0)).satisfies(e -> assertThat(((StrataException) e).code())
                    .isIn(ErrorCode.UNAVAILABLE, ErrorCode.UNKNOWN_FUNCTION));
            if (System.nanoTime() > until) throw new AssertionError(module + " did not compile within 5 minutes");
            Thread.onSpinWait();
        }
    }

    private void assertFails(String fn, Segment s, ErrorCode code, String message, long... arg) {
        Object[] col = new Object[s.docCount()];
        Arrays.fill(col, arg.length > 0 ? arg[0] : 0L);
        assertThatThrownBy(() -> run(fn(fn, 1), s, ExecutionContext.unbounded(), col))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(code));
    }

    @Test
    void modulesSurviveARestartAndAReplacementIsAtomic() {
        tier.register(wat("math", WatFixtures.text("math"), Map.of()));
        UdfFunction before = fn("math.add", 2);
        long g = tier.generation();
        UdfModuleInfo replaced = tier.register(wat("math", "(module (func (export \"add\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.sub))", Map.of()));
        assertThat(replaced.replaced()).isTrue();
        assertThat(tier.generation()).isGreaterThan(g);
        Segment s = segment("{}");
        // a query that resolved the old version keeps it; a new resolution sees the new one
        assertThat(run(before, s, ExecutionContext.unbounded(), new Object[] {5L}, new Object[] {3L})).containsExactly(Value.of(8L));
        assertThat(run(fn("math.add", 2), s, ExecutionContext.unbounded(), new Object[] {5L}, new Object[] {3L})).containsExactly(Value.of(2L));

        tier.register(wat("text", WatFixtures.text("strings"), WatFixtures.STRING_SIGNATURES));
        tier.close();
        tier = WasmTierProvider.openAt(dir, Map.of());
        assertThat(tier.list()).as("listed at once, compiling in the background").extracting(UdfModuleInfo::name).containsExactly("math", "text");
        awaitReady("math");
        awaitReady("text");
        assertThat(run(fn("math.add", 2), s, ExecutionContext.unbounded(), new Object[] {5L}, new Object[] {3L})).containsExactly(Value.of(2L));
        assertThat(tier.unload("math")).isTrue();
        assertThat(tier.unload("math")).isFalse();
        assertThatThrownBy(() -> fn("math.add", 2)).hasMessageContaining("there is no wasm_udf module 'math'; the modules are text");
        tier.close();
        tier = WasmTierProvider.openAt(dir, Map.of());
        assertThat(tier.list()).extracting(UdfModuleInfo::name).containsExactly("text");
    }

    @Test
    void unknownFunctionsAndWrongArityAreNamed() {
        tier.register(wat("math", WatFixtures.text("math"), Map.of()));
        assertThatThrownBy(() -> fn("math.mul", 2)).hasMessage("wasm_udf module 'math' has no function 'mul'; its functions are add (i32, i32) -> i32, half (f64) -> f64");
        assertThatThrownBy(() -> fn("math.add", 3)).hasMessage("wasm_udf('math.add') takes 2 arguments (i32, i32) -> i32, not 3");
    }

    @Test
    void wasiIsAnOptInWithCapturedOutputAndNoFiles() {
        String wasi = """
                (module
                  (import "wasi_snapshot_preview1" "fd_write" (func $w (param i32 i32 i32 i32) (result i32)))
                  (import "wasi_snapshot_preview1" "path_open" (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
                  (memory (export "memory") 1)
                  (data (i32.const 100) "hello from wasi\\n")
                  (data (i32.const 200) "etc/passwd")
                  (func (export "say") (result i32)
                    (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 16))
                    (call $w (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                  (func (export "open") (result i32)
                    (call $open (i32.const 3) (i32.const 0) (i32.const 200) (i32.const 10) (i32.const 0) (i64.const 1) (i64.const 1) (i32.const 0) (i32.const 300)))
                  (func (export "fail") (result i32) (drop (call $w (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 8))) unreachable))
                """;
        assertRefused(wat("w", wasi, Map.of()), "WASI is off for this module");
        tier.register(new UdfModuleSource("w", wasi.getBytes(StandardCharsets.UTF_8), "wat", "", "", Map.of(), Map.of("wasi", "true")));
        Segment s = segment("{}");
        assertThat(run(fn("w.say", 0), s, ExecutionContext.unbounded())).containsExactly(Value.of(0L));
        assertThat(run(fn("w.open", 0), s, ExecutionContext.unbounded())[0]).as("no preopened directory: an errno, not a file")
                .isNotEqualTo(Value.of(0L));
        assertThatThrownBy(() -> run(fn("w.fail", 0), s, ExecutionContext.unbounded()))
                .hasMessageContaining("its last output: hello from wasi");
    }
}
