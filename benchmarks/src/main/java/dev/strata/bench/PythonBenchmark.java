package dev.strata.bench;

import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.segment.Bits;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.SegmentFilter;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Value;
import dev.strata.expr.ExpressionCompiler;
import dev.strata.parser.QueryParser;
import dev.strata.python.PythonTierProvider;
import dev.strata.python.internal.PythonRuntime;
import dev.strata.wasm.WasmTierProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One predicate, {@code price * qty > 500}, per row over 4,096-row batches, in each tier, in one
 * run: the compiled expression, a WASM UDF, a Python UDF in this JVM (the context entered once per
 * batch, as the tier does; and entered per call, for reference) and a Python UDF in a worker
 * process (one round trip per batch). DESIGN.md's reference figures: DuckDB's Python UDF row at a
 * time 537 ns, arrow-udf CPython batches 120 ns. Run from the repository root (./strata bench
 * does) so the Graal compiler jars are found under python-udf/target.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g", "-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
        "--upgrade-module-path=python-udf/target/graal-compiler", "--enable-native-access=ALL-UNNAMED",
        "-Dpolyglot.engine.userResourceCache=python-udf/target/graalpy-cache"})
public class PythonBenchmark {
    static final int ROWS = 4096;
    static final String PY = "def pricey(price, qty):\n    return price * qty > 500\n";
    static final String WAT = """
            (module (func (export "pricey") (param f64 i64) (result i32)
              (f64.gt (f64.mul (local.get 0) (f64.convert_i64_s (local.get 1))) (f64.const 500))))
            """;

    private Path dir;
    private WasmTierProvider wasm;
    private PythonTierProvider python;
    private Segment segment;
    private double[] price;
    private long[] qty;
    private SegmentFilter expression;
    private UdfFunction wasmFn;
    private UdfFunction inProcess;
    private UdfFunction worker;
    private Context perCallContext;
    private org.graalvm.polyglot.Value perCallFn;
    private UdfBatch wasmBatch;
    private UdfBatch inProcessBatch;
    private UdfBatch workerBatch;
    private final int[] docs = new int[ROWS];

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("strata-python-bench");
        ScanData data = new ScanData(ROWS);
        segment = data.segment();
        price = data.price;
        qty = data.qty;
        var q = new QueryParser().parse("price * qty > 500");
        expression = ExpressionCompiler.compileFilter(q.filter(), CompileContext.of("price * qty > 500", segment.schema())).bind(segment);

        wasm = WasmTierProvider.openAt(dir.resolve("wasm"), Map.of());
        wasm.register(new UdfModuleSource("w", WAT.getBytes(StandardCharsets.UTF_8), "wat", "", "", Map.of("pricey", "(f64, i64) -> bool"), Map.of()));
        wasmFn = wasm.resolve(call("wasm_udf", "w"), List.of());

        python = PythonTierProvider.openAt(dir.resolve("python"), Map.of("python.compiler-dir",
                Path.of("python-udf/target/graal-compiler").toAbsolutePath().toString()));
        Map<String, String> sig = Map.of("pricey", "(float, int) -> bool");
        python.register(new UdfModuleSource("local", PY.getBytes(StandardCharsets.UTF_8), "python", "", "", sig, Map.of("mode", "in_process")));
        python.register(new UdfModuleSource("iso", PY.getBytes(StandardCharsets.UTF_8), "python", "", "", sig, Map.of()));
        inProcess = python.resolve(call("python_udf", "local"), List.of());
        worker = python.resolve(call("python_udf", "iso"), List.of());

        perCallContext = PythonRuntime.newContext(new ByteArrayOutputStream());
        perCallContext.eval(Source.newBuilder("python", PY, "per_call.py").build());
        perCallFn = perCallContext.getBindings("python").getMember("pricey");

        wasmBatch = batch(wasmFn);
        inProcessBatch = batch(inProcess);
        workerBatch = batch(worker);
        long want = 0;
        for (int i = 0; i < ROWS; i++) if (price[i] * qty[i] > 500) want++;
        for (long got : new long[] {expression(), udf(wasmFn, wasmBatch), udf(inProcess, inProcessBatch), udf(worker, workerBatch), pythonPerCall()}) {
            if (got != want) throw new IllegalStateException("tiers disagree: " + got + " vs " + want);
        }
    }

    private static Expr.UdfCall call(String tier, String module) {
        List<Expr> args = new ArrayList<>(List.of(new Expr.Literal(Value.NULL, Span.NONE), new Expr.Literal(Value.NULL, Span.NONE)));
        return new Expr.UdfCall(tier, module, "pricey", args, Span.NONE);
    }

    private UdfBatch batch(UdfFunction f) {
        UdfBatch b = new UdfBatch(f.parameterKinds());
        b.doubles[0] = price;
        b.longs[1] = qty;
        for (int a = 0; a < 2; a++) {
            b.argValid[a] = new long[Bits.words(ROWS)];
            Arrays.fill(b.argValid[a], -1L);
        }
        b.context = ExecutionContext.unbounded();
        b.segment = segment;
        b.docs = new int[ROWS];
        for (int i = 0; i < ROWS; i++) b.docs[i] = i;
        b.count = ROWS;
        b.outLongs = new long[ROWS];
        b.outValid = new long[Bits.words(ROWS)];
        return b;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        perCallContext.close();
        python.close();
        wasm.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static long udf(UdfFunction f, UdfBatch b) {
        Arrays.fill(b.outValid, 0);
        f.evaluate(b);
        long n = 0;
        for (int i = 0; i < ROWS; i++) if (Bits.get(b.outValid, i) && b.outLongs[i] != 0) n++;
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long expression() {
        for (int i = 0; i < ROWS; i++) docs[i] = i;
        return expression.filter(docs, ROWS);
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long wasmUdf() { return udf(wasmFn, wasmBatch); }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long pythonInProcessEnteredPerBatch() { return udf(inProcess, inProcessBatch); }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long pythonInProcessEnteredPerCall() { return pythonPerCall(); }

    private long pythonPerCall() {
        long n = 0;
        for (int i = 0; i < ROWS; i++) if (perCallFn.execute(price[i], qty[i]).asBoolean()) n++;
        return n;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long pythonWorkerBatch() { return udf(worker, workerBatch); }
}
