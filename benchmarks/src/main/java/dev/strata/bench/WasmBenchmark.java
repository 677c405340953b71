package dev.strata.bench;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.segment.Bits;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.value.Value;
import dev.strata.wasm.WasmTierProvider;
import dev.strata.wasm.internal.WasmUdf;
import dev.strata.wasm.internal.WatAssembler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * The WASM tier against raw Chicory calls, in one run. {@code raw*} call a compiled Chicory
 * instance directly (no pool, no ABI); the others go through Strata: {@code poolAdd} borrows from
 * the instance pool per call, and the per-document ones evaluate a 4,096-row batch exactly as a
 * query stage does (one pool borrow, deadline arming and counters per batch), reported per row.
 * The seed's Go/wazero figure, 3,513 ns per call, is the reference line these are compared to.
 * Run with {@code -t 2} for two threads sharing the pools.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class WasmBenchmark {
    static final int ROWS = 4096;

    static final String MATH = """
            (module
              (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
            """;

    static final String FIELDS = """
            (module
              (import "strata" "field" (func $field (param i32 i32) (result i32)))
              (import "strata" "get_f64" (func $f64 (param i32 f64) (result f64)))
              (import "strata" "get_i64" (func $i64 (param i32 i64) (result i64)))
              (memory (export "memory") 1)
              (data (i32.const 16) "priceqty")
              (global $hp (mut i32) (i32.const -1))
              (global $hq (mut i32) (i32.const -1))
              (func $handles
                (if (i32.lt_s (global.get $hp) (i32.const 0)) (then
                  (global.set $hp (call $field (i32.const 16) (i32.const 5)))
                  (global.set $hq (call $field (i32.const 21) (i32.const 3))))))
              (func (export "price") (result f64) (call $handles) (call $f64 (global.get $hp) (f64.const 0)))
              (func (export "pricey") (result i32)
                (call $handles)
                (f64.gt (f64.mul (call $f64 (global.get $hp) (f64.const 0))
                                 (f64.convert_i64_s (call $i64 (global.get $hq) (i64.const 0))))
                        (f64.const 500))))
            """;

    static final String COLUMNS = """
            (module
              (memory (export "memory") 2)
              (global $top (mut i32) (i32.const 1024))
              (func (export "alloc") (param $n i32) (result i32) (local $p i32)
                (local.set $p (global.get $top))
                (global.set $top (i32.add (global.get $top) (i32.and (i32.add (local.get $n) (i32.const 7)) (i32.const -8))))
                (if (i32.gt_u (global.get $top) (i32.mul (memory.size) (i32.const 65536)))
                  (then (drop (memory.grow (i32.add (i32.shr_u (i32.sub (global.get $top) (i32.mul (memory.size) (i32.const 65536))) (i32.const 16)) (i32.const 1))))))
                (local.get $p))
              (func (export "free") (param i32 i32))
              (func (export "sum_bytes") (param $p i32) (param $n i32) (result i32) (local $s i32) (local $i i32)
                (block $done (loop $next
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $p) (local.get $i)))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $next)))
                (local.get $s))
              (func (export "scale") (param $n i32) (param $x i32) (param $y i32) (param $out i32) (local $i i32)
                (block $done (loop $next
                  (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
                  (f64.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))
                    (f64.mul (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))
                             (f64.convert_i64_s (i64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br $next)))))
            """;

    private Path dir;
    private WasmTierProvider tier;
    private Segment segment;
    private double[] price;
    private long[] qty;
    private String[] strings32;
    WasmUdf add;
    UdfFunction price1;
    UdfFunction pricey;
    UdfFunction scale;
    UdfFunction sumBytes;
    WasmModule rawMath;
    WasmModule rawFields;
    WasmModule rawColumns;

    @Setup(Level.Trial)
    public void setup() throws Exception {
        dir = Files.createTempDirectory("strata-wasm-bench");
        tier = WasmTierProvider.openAt(dir, Map.of("wasm.pool.warm-instances", "2"));
        register("math", MATH, Map.of());
        register("fields", FIELDS, Map.of("pricey", "() -> bool"));
        register("cols", COLUMNS, Map.of("sum_bytes", "(string) -> i32", "scale", "batch (f64, i64) -> f64"));
        add = (WasmUdf) resolve("math.add", 2);
        price1 = resolve("fields.price", 0);
        pricey = resolve("fields.pricey", 0);
        scale = resolve("cols.scale", 2);
        sumBytes = resolve("cols.sum_bytes", 1);
        ScanData data = new ScanData(ROWS);
        segment = data.segment();
        price = data.price;
        qty = data.qty;
        strings32 = new String[ROWS];
        for (int i = 0; i < ROWS; i++) strings32[i] = (data.title[i] + " ".repeat(32)).substring(0, 32);
        rawMath = Parser.parse(WatAssembler.assemble(MATH, "math"));
        rawFields = Parser.parse(WatAssembler.assemble(FIELDS, "fields"));
        rawColumns = Parser.parse(WatAssembler.assemble(COLUMNS, "cols"));
    }

    private void register(String name, String wat, Map<String, String> sigs) {
        tier.register(new UdfModuleSource(name, wat.getBytes(StandardCharsets.UTF_8), "wat", "bench", "", sigs, Map.of()));
    }

    private UdfFunction resolve(String qualified, int arity) { return resolve(tier, qualified, arity); }

    /** Resolves MODULE.FUNCTION as a query's wasm_udf call with {@code arity} arguments would. */
    static UdfFunction resolve(WasmTierProvider tier, String qualified, int arity) {
        String[] mf = qualified.split("\\.");
        List<Expr> args = new ArrayList<>();
        for (int i = 0; i < arity; i++) args.add(new Expr.Literal(Value.NULL, Span.NONE));
        return tier.resolve(new Expr.UdfCall("wasm_udf", mf[0], mf[1], args, Span.NONE), List.of());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        tier.close();
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Per thread: raw Chicory instances, and 4,096-row batches laid out as a query stage would. */
    @State(Scope.Thread)
    public static class PerThread {
        ExportFunction rawAdd;
        ExportFunction rawPrice;
        int rawDoc;
        Memory rawMemory;
        ExportFunction rawScale;
        ExportFunction rawSumBytes;
        int rawBuf;
        UdfBatch noArgs;
        UdfBatch scaleBatch;
        UdfBatch stringBatch;
        int a = 17;

        /** The raw path encodes each string too, as the tier must. */
        byte[] strings32Bytes(int i) { return strings[i].getBytes(StandardCharsets.UTF_8); }

        String[] strings;

        @Setup(Level.Trial)
        public void setup(WasmBenchmark b) {
            rawAdd = Instance.builder(b.rawMath).withMachineFactory(MachineFactoryCompiler.compile(b.rawMath)).build().export("add");
            double[] price = b.price;
            HostFunction[] host = {
                new HostFunction("strata", "field", FunctionType.of(List.of(ValType.I32, ValType.I32), List.of(ValType.I32)),
                        (inst, args) -> new long[] {0}),
                new HostFunction("strata", "get_f64", FunctionType.of(List.of(ValType.I32, ValType.F64), List.of(ValType.F64)),
                        (inst, args) -> new long[] {Double.doubleToRawLongBits(price[rawDoc])}),
                new HostFunction("strata", "get_i64", FunctionType.of(List.of(ValType.I32, ValType.I64), List.of(ValType.I64)),
                        (inst, args) -> new long[] {args[1]}),
            };
            rawPrice = Instance.builder(b.rawFields).withMachineFactory(MachineFactoryCompiler.compile(b.rawFields))
                    .withImportValues(ImportValues.builder().addFunction(host).build()).build().export("price");
            Instance cols = Instance.builder(b.rawColumns).withMachineFactory(MachineFactoryCompiler.compile(b.rawColumns))
                    .withMemoryFactory(ByteArrayMemory::new).build();
            rawMemory = cols.memory();
            rawScale = cols.export("scale");
            rawSumBytes = cols.export("sum_bytes");
            rawBuf = (int) cols.export("alloc").apply(ROWS * 24)[0];
            strings = b.strings32;

            noArgs = batch(b, List.of());
            scaleBatch = batch(b, b.scale.parameterKinds());
            scaleBatch.doubles[0] = b.price;
            scaleBatch.longs[1] = b.qty;
            stringBatch = batch(b, b.sumBytes.parameterKinds());
            stringBatch.strings[0] = b.strings32;
            for (UdfBatch u : List.of(scaleBatch, stringBatch)) {
                for (int a = 0; a < u.arity(); a++) {
                    u.argValid[a] = new long[Bits.words(ROWS)];
                    Arrays.fill(u.argValid[a], -1L);
                }
            }
        }

        private static UdfBatch batch(WasmBenchmark b, List<dev.strata.core.value.ValueKind> kinds) {
            UdfBatch u = new UdfBatch(kinds);
            u.context = ExecutionContext.unbounded();
            u.segment = b.segment;
            u.docs = new int[ROWS];
            for (int i = 0; i < ROWS; i++) u.docs[i] = i;
            u.count = ROWS;
            u.outLongs = new long[ROWS];
            u.outDoubles = new double[ROWS];
            u.outValid = new long[Bits.words(ROWS)];
            return u;
        }
    }

    // ---- add(i32, i32) ----

    @Benchmark
    public long rawAdd(PerThread t) { return t.rawAdd.apply(t.a, 25)[0]; }

    @Benchmark
    public long poolAdd(PerThread t) { return add.invoke(t.a, 25); }

    // ---- the guest reads one field through a host call ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double rawHostCallOneField(PerThread t) {
        double s = 0;
        for (int i = 0; i < ROWS; i++) {
            t.rawDoc = i;
            s += Double.longBitsToDouble(t.rawPrice.apply()[0]);
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long hostCallOneField(PerThread t) {
        Arrays.fill(t.noArgs.outValid, 0);
        price1.evaluate(t.noArgs);
        return t.noArgs.outValid[3];
    }

    // ---- a scan UDF reading price and qty per document ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long scanTwoFields(PerThread t) {
        Arrays.fill(t.noArgs.outValid, 0);
        pricey.evaluate(t.noArgs);
        return t.noArgs.outLongs[7];
    }

    // ---- the batch shape: two columns in, one out, one call ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double rawBatch(PerThread t) {
        Memory m = t.rawMemory;
        int x = t.rawBuf;
        int y = x + 8 * ROWS;
        int out = y + 8 * ROWS;
        for (int i = 0; i < ROWS; i++) m.writeF64(x + 8 * i, price[i]);
        for (int i = 0; i < ROWS; i++) m.writeLong(y + 8 * i, qty[i]);
        t.rawScale.apply(ROWS, x, y, out);
        double s = 0;
        for (int i = 0; i < ROWS; i++) s += m.readDouble(out + 8 * i);
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public double batchShape(PerThread t) {
        Arrays.fill(t.scaleBatch.outValid, 0);
        scale.evaluate(t.scaleBatch);
        return t.scaleBatch.outDoubles[9];
    }

    // ---- a 32-byte string argument ----

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long rawString32(PerThread t) {
        long s = 0;
        for (int i = 0; i < ROWS; i++) {
            byte[] b = t.strings32Bytes(i);
            t.rawMemory.write(t.rawBuf, b);
            s += t.rawSumBytes.apply(t.rawBuf, b.length)[0];
        }
        return s;
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long string32(PerThread t) {
        Arrays.fill(t.stringBatch.outValid, 0);
        sumBytes.evaluate(t.stringBatch);
        return t.stringBatch.outLongs[11];
    }
}
