package dev.strata.wasm.internal;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.FunctionImport;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.Import;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.ValType;
import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.StrataException;
import dev.strata.core.udf.ModuleStore;
import java.io.ByteArrayInputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One registered version of a module: validated once, compiled once to JVM bytecode with Chicory's
 * runtime compiler (the machine factory is shared by every instance), with its field handles and
 * its instance pool. Immutable apart from the pool and counters; shared by every query that
 * resolved it, which keeps using it after a replacement until it finishes.
 */
public final class ModuleVersion {
    private static final Logger LOG = LoggerFactory.getLogger(ModuleVersion.class);
    static final String WASI_MODULE = "wasi_snapshot_preview1";
    /** Exports that belong to the ABI, not functions a query calls. */
    private static final List<String> ABI_EXPORTS = List.of("alloc", "free", "memory", "_start", "_initialize");
    /** WASI functions whose answer changes from call to call: a deterministic function may not import them. */
    private static final java.util.Set<String> NONDETERMINISTIC_WASI = java.util.Set.of("clock_time_get", "clock_res_get", "random_get");

    /** A function a query can call: its export, its slot in each instance's export table, its signature. */
    public record UdfEntry(String name, int slot, Signature signature) {}

    public final String name;
    public final String sha256;
    public final byte[] bytes;
    public final ModuleStore.Entry meta;
    private final WasmModule module;
    private final Function<Instance, Machine> machines;
    private final boolean fullyCompiled;
    private final MemoryLimits memoryLimits;
    private final Map<String, UdfEntry> functions;
    private final Map<String, String> exports;
    private final FieldHandles handles;
    private final WasmLimits limits;
    final InstancePool pool;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong traps = new AtomicLong();

    private ModuleVersion(ModuleStore.Entry meta, byte[] bytes, WasmModule module, Function<Instance, Machine> machines,
                          boolean fullyCompiled, MemoryLimits memoryLimits, Map<String, UdfEntry> functions,
                          Map<String, String> exports, WasmLimits limits) {
        this.name = meta.name();
        this.sha256 = meta.sha256();
        this.meta = meta;
        this.bytes = bytes;
        this.module = module;
        this.machines = machines;
        this.fullyCompiled = fullyCompiled;
        this.memoryLimits = memoryLimits;
        this.functions = functions;
        this.exports = exports;
        this.limits = limits;
        this.handles = new FieldHandles(limits.maxFieldHandles());
        this.pool = new InstancePool(limits.maxInstances(), this::instantiate, this::refillLater);
    }

    /**
     * Validates, compiles and pre-warms a module. Every problem found is reported in one
     * INVALID_REQUEST error, one per line.
     */
    public static ModuleVersion load(ModuleStore.Entry meta, byte[] bytes, WasmLimits limits) {
        String name = meta.name();
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (RuntimeException e) {
            throw invalid(name, List.of("it is not a valid WebAssembly module: " + e.getMessage()));
        }
        List<String> problems = new ArrayList<>();
        boolean wasi = meta.flag("wasi");
        List<FunctionType> importTypes = new ArrayList<>();
        List<String> impure = new ArrayList<>(); // imports a deterministic function may not rely on
        for (int i = 0; i < module.importSection().importCount(); i++) {
            Import imp = module.importSection().getImport(i);
            String what = imp.module() + "." + imp.name();
            if (!(imp instanceof FunctionImport fi)) {
                problems.add("it imports " + what + " (a " + imp.importType().name().toLowerCase() + "); a UDF module must define its own memory, tables and globals");
                continue;
            }
            FunctionType t = module.typeSection().getType(fi.typeIndex());
            importTypes.add(t);
            if (imp.module().equals(HostApi.MODULE) ? !imp.name().equals("abi_version") : NONDETERMINISTIC_WASI.contains(imp.name())) {
                impure.add(what);
            }
            if (imp.module().equals(HostApi.MODULE)) {
                FunctionType want = HostApi.FUNCTIONS.get(imp.name());
                if (want == null) {
                    problems.add("it imports " + what + ", which does not exist; the host functions are "
                            + String.join(", ", new TreeMap<>(HostApi.FUNCTIONS).keySet()));
                } else if (!want.equals(t)) {
                    problems.add("it imports " + what + " as " + Signature.describe(t) + ", but it is " + Signature.describe(want));
                }
            } else if (imp.module().equals(WASI_MODULE)) {
                if (!wasi) problems.add("it imports " + what + " but WASI is off for this module; register it with the option wasi=true"
                        + " to allow WASI preview 1 (no files, no environment, no network)");
            } else {
                problems.add("it imports " + what + "; a UDF may import only from '" + HostApi.MODULE + "'"
                        + (wasi ? " and '" + WASI_MODULE + "'" : " (and '" + WASI_MODULE + "' with wasi=true)"));
            }
        }

        MemoryLimits memoryLimits = null;
        var memories = module.memorySection();
        if (memories.isPresent() && memories.get().memoryCount() > 0) {
            MemoryLimits declared = memories.get().getMemory(0).limits();
            int max = Math.min(declared.maximumPages(), limits.maxMemoryPages());
            if (declared.initialPages() > max) {
                problems.add("its memory starts at " + declared.initialPages() + " pages, above the limit of " + max
                        + " pages (" + (max * 64) + " KiB); raise wasm.memory.max-pages or shrink the module");
            } else {
                memoryLimits = new MemoryLimits(declared.initialPages(), max);
            }
        }

        checkShape(module, problems);

        Map<String, FunctionType> exportTypes = new TreeMap<>();
        Map<String, String> exports = new LinkedHashMap<>();
        int nImports = module.importSection().count(ExternalType.FUNCTION);
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            if (e.exportType() != ExternalType.FUNCTION) {
                exports.put(e.name(), e.exportType().name().toLowerCase());
                continue;
            }
            FunctionType t = e.index() < nImports ? importTypes.get(e.index())
                    : module.functionSection().getFunctionType(e.index() - nImports, module.typeSection());
            exportTypes.put(e.name(), t);
            exports.put(e.name(), Signature.describe(t));
        }

        Map<String, UdfEntry> functions = new TreeMap<>();
        boolean needsMemory = false;
        for (var d : meta.signatures().entrySet()) {
            FunctionType actual = exportTypes.get(d.getKey());
            if (actual == null) {
                problems.add("it declares a signature for '" + d.getKey() + "', which the module does not export as a function"
                        + " (its function exports: " + Messages.list(exportTypes.keySet(), ", ") + ")");
                continue;
            }
            Signature s;
            try {
                s = Signature.parse(d.getValue());
            } catch (IllegalArgumentException e) {
                problems.add("the signature of '" + d.getKey() + "' is wrong: " + e.getMessage());
                continue;
            }
            if (!s.wasmType().equals(actual)) {
                problems.add("'" + d.getKey() + "' is declared " + s + ", which needs the WebAssembly type "
                        + Signature.describe(s.wasmType()) + ", but the export is " + Signature.describe(actual));
                continue;
            }
            if (s.deterministic() && !impure.isEmpty()) {
                problems.add("'" + d.getKey() + "' is declared deterministic, but the module imports " + Messages.list(impure, ", ")
                        + ", so its result may depend on more than its arguments: declare it volatile (leave 'deterministic' out)");
                continue;
            }
            needsMemory |= s.needsMemory();
            functions.put(d.getKey(), new UdfEntry(d.getKey(), 0, s));
        }
        for (var e : exportTypes.entrySet()) {
            if (functions.containsKey(e.getKey()) || meta.signatures().containsKey(e.getKey()) || ABI_EXPORTS.contains(e.getKey())) continue;
            Signature s = Signature.infer(e.getValue());
            if (s != null) functions.put(e.getKey(), new UdfEntry(e.getKey(), 0, s));
        }
        if (needsMemory) {
            if (memoryLimits == null && memories.isEmpty()) problems.add("it passes strings or columns, so it must define and export a memory");
            if (!exports.containsKey("memory")) problems.add("it passes strings or columns, so it must export its memory as 'memory'");
            FunctionType alloc = exportTypes.get("alloc");
            FunctionType free = exportTypes.get("free");
            if (alloc == null || !alloc.equals(FunctionType.of(List.of(ValType.I32), List.of(ValType.I32)))) {
                problems.add("it passes strings or columns, so it must export alloc(i32) -> i32");
            }
            if (free == null || !free.equals(FunctionType.of(List.of(ValType.I32, ValType.I32), List.of()))) {
                problems.add("it passes strings or columns, so it must export free(i32, i32)");
            }
        }
        if (functions.isEmpty() && problems.isEmpty()) {
            problems.add("it exports no function a query can call (a function of numbers returning one number,"
                    + " or one declared with a signature); its exports: " + exports);
        }
        if (!problems.isEmpty()) throw invalid(name, problems);

        Map<String, UdfEntry> slotted = new LinkedHashMap<>();
        int slot = 0;
        for (UdfEntry f : functions.values()) slotted.put(f.name(), new UdfEntry(f.name(), slot++, f.signature()));

        Function<Instance, Machine> machines;
        boolean fully = true;
        long t0 = System.nanoTime();
        try {
            machines = MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.FAIL).compile();
        } catch (RuntimeException e) {
            LOG.warn("wasm_udf module '{}': some functions are too large to compile to JVM bytecode ({}); they run in the interpreter, 25-250x slower",
                    name, e.getMessage());
            machines = MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.SILENT).compile();
            fully = false;
        }
        LOG.info("wasm_udf module '{}' ({} bytes, sha256 {}) compiled in {} ms", name, bytes.length, meta.sha256().substring(0, 12),
                (System.nanoTime() - t0) / 1_000_000);
        ModuleVersion v = new ModuleVersion(meta, bytes, module, machines, fully, memoryLimits, slotted, exports, limits);
        try (DeadlineGuard.Armed armed = DeadlineGuard.arm(System.nanoTime() + limits.instantiateMillis() * 1_000_000)) {
            try {
                v.pool.warm(Math.max(1, limits.warmInstances()));
            } catch (RuntimeException | StackOverflowError e) {
                String why = armed.fired() ? "its start function did not finish within " + limits.instantiateMillis() + " ms"
                        : "it cannot be instantiated: " + Errors.reason(e);
                throw invalid(name, List.of(why));
            }
        }
        return v;
    }

    /** The most targets one br_table may have (the limit browsers' WebAssembly engines use). */
    static final int MAX_BR_TABLE_TARGETS = 65_520;
    /** The most br_table targets one module may have in all (about 6 s of compiling on this machine kind). */
    static final int MAX_MODULE_BR_TABLE_TARGETS = 262_144;
    /** The most functions one module may define. */
    static final int MAX_FUNCTIONS = 100_000;

    /**
     * Refuses shapes whose compilation to JVM bytecode has no useful bound in time or memory (a
     * 1,000,000-target br_table took minutes and the whole heap), before compiling anything.
     */
    private static void checkShape(WasmModule module, List<String> problems) {
        int bodies = module.codeSection().functionBodyCount();
        if (bodies > MAX_FUNCTIONS) {
            problems.add("it defines " + bodies + " functions; a module may define at most " + MAX_FUNCTIONS);
            return;
        }
        int nImports = module.importSection().count(ExternalType.FUNCTION);
        long total = 0;
        for (int f = 0; f < bodies; f++) {
            for (var ins : module.codeSection().getFunctionBody(f).instructions()) {
                if (ins.opcode() != com.dylibso.chicory.wasm.types.OpCode.BR_TABLE) continue;
                int targets = ins.operandCount() - 1;
                total += targets;
                if (targets > MAX_BR_TABLE_TARGETS) {
                    problems.add("function " + (f + nImports) + " has a br_table with " + targets + " targets; at most "
                            + MAX_BR_TABLE_TARGETS + " (as in browsers' engines) are compiled");
                    return;
                }
            }
        }
        if (total > MAX_MODULE_BR_TABLE_TARGETS) {
            problems.add("its br_tables have " + total + " targets in all; at most " + MAX_MODULE_BR_TABLE_TARGETS + " are compiled per module");
        }
    }

    private static StrataException invalid(String name, List<String> problems) {
        String msg = problems.size() == 1 ? "wasm_udf module '" + name + "' was refused: " + problems.get(0)
                : "wasm_udf module '" + name + "' was refused:\n - " + Messages.list(problems, "\n - ");
        return new StrataException(ErrorCode.INVALID_REQUEST, msg);
    }

    /** A fresh instance: its own memory, host functions bound to its own document context. */
    private GuestInstance instantiate() {
        DocContext ctx = new DocContext(handles);
        ImportValues.Builder imports = ImportValues.builder().addFunction(HostApi.bind(ctx, handles));
        BoundedOutput output = null;
        if (meta.flag("wasi")) {
            output = new BoundedOutput(limits.outputBytes());
            WasiOptions o = WasiOptions.builder()
                    .withStdout(output, false).withStderr(output, false)
                    .withStdin(new ByteArrayInputStream(new byte[0]), false)
                    .withClock(Clock.systemUTC()).withRandom(new SecureRandom())
                    .build(); // no directories, no environment, no arguments
            imports.addFunction(WasiPreview1.builder().withOptions(o).build().toHostFunctions());
        }
        Instance.Builder b = Instance.builder(module).withMachineFactory(machines).withImportValues(imports.build())
                .withMemoryFactory(ByteArrayMemory::new);
        if (memoryLimits != null) b.withMemoryLimits(memoryLimits);
        Instance inst = b.build();
        if (exports.containsKey("_initialize")) inst.export("_initialize").apply();
        ExportFunction[] fns = new ExportFunction[functions.size()];
        for (UdfEntry f : functions.values()) fns[f.slot()] = inst.export(f.name());
        return new GuestInstance(inst, ctx, fns, output);
    }

    public Map<String, UdfEntry> functions() { return functions; }

    /** Every export with its WebAssembly type, as Chicory does not list them. */
    public Map<String, String> exports() { return exports; }

    public boolean fullyCompiled() { return fullyCompiled; }

    /** Memory cap per instance in pages (0 when the module has no memory). */
    public int memoryMaxPages() { return memoryLimits == null ? 0 : memoryLimits.maximumPages(); }

    public int fieldHandles() { return handles.size(); }

    /** The longest string result (UTF-8 bytes) a function of this version may return. */
    int resultMaxBytes() { return limits.resultMaxBytes(); }

    public int liveInstances() { return pool.live(); }

    public int busyInstances() { return pool.busy(); }

    public int discardedInstances() { return pool.discarded(); }

    public long calls() { return calls.get(); }

    public long traps() { return traps.get(); }

    void counted(long n) { calls.addAndGet(n); }

    void trapped() { traps.incrementAndGet(); }

    /** Makes instances after a discard off the query path, one module at a time for the whole node. */
    private static final java.util.concurrent.ExecutorService WARMER = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "strata-wasm-warm");
        t.setDaemon(true);
        return t;
    });

    /**
     * After a trap discarded an instance, makes a replacement in the background (its start function
     * bounded by {@code wasm.instantiate-timeout-ms}), so the next query does not pay for it.
     */
    private void refillLater() {
        WARMER.execute(() -> {
            if (pool.live() >= Math.max(1, limits.warmInstances())) return;
            try (DeadlineGuard.Armed armed = DeadlineGuard.arm(System.nanoTime() + limits.instantiateMillis() * 1_000_000)) {
                pool.warm(1);
            } catch (RuntimeException | StackOverflowError e) {
                LOG.warn("wasm_udf module '{}': a replacement instance could not be made ahead of need: {}", name, Errors.reason(e));
            }
        });
    }

    /** Stops keeping instances: idle ones go now, busy ones when their query gives them back. */
    public void retire() { pool.retire(); }
}
