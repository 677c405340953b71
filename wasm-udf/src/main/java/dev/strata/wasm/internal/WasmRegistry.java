package dev.strata.wasm.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.TierHealth;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.udf.ModuleStore;
import dev.strata.core.udf.UdfRegistry;
import dev.strata.core.value.ValueKind;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules of a node by name, each pointing at its current {@link ModuleVersion}. Reads (query
 * planning) take no lock. A registration validates and compiles with no lock held, so one large
 * module never holds up another; only storing and swapping the entry are serialised. At start,
 * stored modules compile in the background: the node answers at once, and a module still compiling
 * is listed as {@code loading} (a query on it gets UNAVAILABLE, retry) until it is ready, or
 * {@code failed: why} if it no longer loads (it stays listed until unloaded or registered again).
 */
public final class WasmRegistry implements UdfRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(WasmRegistry.class);

    /** A stored module that is not ready: still compiling after a start, or no longer loading. */
    record Pending(ModuleStore.Entry entry, long size, String state) {}

    private final ModuleStore store;
    private final WasmLimits limits;
    private final Map<String, ModuleVersion> current = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final Object swap = new Object();
    private final AtomicLong generation = new AtomicLong();
    private final java.util.concurrent.ExecutorService loader = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "strata-wasm-loader");
        t.setDaemon(true);
        return t;
    });

    public WasmRegistry(Path dir, WasmLimits limits) {
        this.store = new ModuleStore(dir, ".wasm");
        this.limits = limits;
    }

    /** Lists the stored modules as {@code loading} and compiles them in the background; returns at once. */
    public void loadStored() {
        for (ModuleStore.Entry e : store.entries()) pending.put(e.name(), new Pending(e, 0, "loading"));
        generation.incrementAndGet();
        if (pending.isEmpty()) return;
        LOG.info("wasm_udf: {} stored module(s) compiling in the background: {}", pending.size(), String.join(", ", pending.keySet()));
        for (ModuleStore.Entry e : store.entries()) loader.execute(() -> loadInBackground(e));
    }

    private void loadInBackground(ModuleStore.Entry e) {
        long t0 = System.nanoTime();
        try {
            byte[] bytes = store.blob(e.sha256());
            if (!ModuleStore.sha256(bytes).equals(e.sha256())) throw new IllegalStateException("its stored bytes do not match their digest");
            ModuleVersion v = ModuleVersion.load(e, bytes, limits);
            synchronized (swap) {
                Pending p = pending.get(e.name());
                if (p == null || !p.entry().sha256().equals(e.sha256())) { // unloaded or replaced meanwhile
                    v.retire();
                    return;
                }
                current.put(e.name(), v);
                pending.remove(e.name());
                generation.incrementAndGet();
            }
            LOG.info("wasm_udf module '{}' ready ({} ms)", e.name(), (System.nanoTime() - t0) / 1_000_000);
        } catch (RuntimeException ex) {
            synchronized (swap) {
                if (pending.containsKey(e.name())) {
                    pending.put(e.name(), new Pending(e, 0, "failed: " + Messages.cap(ex.getMessage(), 1000)));
                    generation.incrementAndGet();
                }
            }
            LOG.error("wasm_udf module '{}' could not be loaded; it stays listed as failed until it is registered again or unloaded: {}",
                    e.name(), ex.getMessage());
        }
    }

    /** Why {@code name} cannot be called now, as the error a query gets; null when it is not pending. */
    public StrataException notReady(String name) {
        Pending p = pending.get(name);
        if (p == null) return null;
        if (p.state().equals("loading")) {
            return new StrataException(ErrorCode.UNAVAILABLE, "wasm_udf module '" + name + "' is still compiling after the node started;"
                    + " retry in a few seconds");
        }
        return new StrataException(ErrorCode.UDF_FAILED, "wasm_udf module '" + name + "' " + p.state()
                + "; register it again once fixed, or unload it");
    }

    @Override
    public UdfModuleInfo register(UdfModuleSource src) {
        List<String> problems = new ArrayList<>();
        String badName = ModuleStore.nameProblem(src.name());
        if (badName != null) problems.add(badName);
        for (String k : src.options().keySet()) {
            if (!k.equals("wasi")) problems.add("unknown option '" + k + "' (the options are: wasi)");
        }
        String wasiOption = src.options().getOrDefault("wasi", "false");
        if (!wasiOption.equals("true") && !wasiOption.equals("false")) problems.add("the option wasi must be true or false, not '" + wasiOption + "'");
        if (src.content().length == 0) problems.add("the module is empty");
        if (!src.format().equals("wasm") && !src.format().equals("wat")) problems.add("unknown format '" + src.format() + "' (use wasm or wat)");
        if (!problems.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "wasm_udf module '" + src.name() + "' was refused: " + String.join("; ", problems));
        }
        byte[] bytes = src.format().equals("wat") ? WatAssembler.assemble(new String(src.content(), StandardCharsets.UTF_8), src.name(), limits.assembleMillis()) : src.content();
        String sha = ModuleStore.sha256(bytes);
        ModuleStore.Entry entry = new ModuleStore.Entry(src.name(), sha, src.format(), src.version(), src.description(),
                Instant.now().toString(), Map.of("wasi", wasiOption), src.signatures());
        ModuleVersion v = ModuleVersion.load(entry, bytes, limits); // no lock: a large module holds up no other
        ModuleVersion old;
        synchronized (swap) {
            store.put(entry, bytes);
            old = current.put(src.name(), v);
            pending.remove(src.name());
            generation.incrementAndGet();
        }
        if (old != null) old.retire();
        LOG.info("wasm_udf module '{}' {} (sha256 {}): functions {}", src.name(), old == null ? "registered" : "replaced",
                sha.substring(0, 12), v.functions().keySet());
        UdfModuleInfo info = info(v);
        return old == null ? info : info.asReplacement();
    }

    @Override
    public List<UdfModuleInfo> list() {
        java.util.TreeMap<String, UdfModuleInfo> all = new java.util.TreeMap<>();
        current.values().forEach(m -> all.put(m.name, info(m)));
        pending.values().forEach(p -> all.putIfAbsent(p.entry().name(), info(p)));
        return List.copyOf(all.values());
    }

    @Override
    public Optional<UdfModuleInfo> describe(String name) {
        ModuleVersion v = current.get(name);
        if (v != null) return Optional.of(info(v));
        return Optional.ofNullable(pending.get(name)).map(WasmRegistry::info);
    }

    /** Removes a module, ready, still loading or failed. */
    @Override
    public boolean unload(String name) {
        ModuleVersion v;
        synchronized (swap) {
            v = current.remove(name);
            boolean wasPending = pending.remove(name) != null;
            if (v == null && !wasPending) return false;
            store.remove(name);
            generation.incrementAndGet();
        }
        if (v != null) {
            v.retire();
            LOG.info("wasm_udf module '{}' unloaded ({} instance(s) still finishing queries)", name, v.busyInstances());
        } else {
            LOG.info("wasm_udf module '{}' unloaded before it was ready", name);
        }
        return true;
    }

    @Override
    public long generation() { return generation.get(); }

    /** The current version of a module, or null. */
    public ModuleVersion version(String name) { return current.get(name); }

    public java.util.Set<String> names() {
        java.util.Set<String> all = new java.util.TreeSet<>(current.keySet());
        all.addAll(pending.keySet());
        return all;
    }

    /** Modules still compiling after the start, and failed ones, for the tier's health. */
    public Map<String, String> pendingStates() {
        Map<String, String> out = new java.util.TreeMap<>();
        pending.forEach((n, p) -> out.put(n, p.state()));
        return out;
    }

    @Override
    public void close() {
        loader.shutdownNow();
        for (ModuleVersion v : current.values()) v.retire();
    }

    static UdfModuleInfo info(Pending p) {
        return new UdfModuleInfo(WasmUdf.TIER, p.entry().name(), p.entry().version(), p.entry().description(), p.entry().sha256(),
                p.size(), p.entry().registeredAt(), false, List.of(), Map.of("wasi", p.entry().flag("wasi")), Map.of(), p.state());
    }

    static UdfModuleInfo info(ModuleVersion v) {
        List<UdfModuleInfo.Function> fns = new ArrayList<>();
        for (ModuleVersion.UdfEntry f : v.functions().values()) {
            fns.add(new UdfModuleInfo.Function(f.name(), f.signature().toString(), f.signature().batch() ? "batch" : "scalar"));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("abiVersion", HostApi.VERSION);
        details.put("format", v.meta.format());
        details.put("compiled", v.fullyCompiled() ? "all functions compiled to JVM bytecode" : "partly interpreted (functions too large for the JVM)");
        details.put("memoryMaxPages", v.memoryMaxPages());
        details.put("exports", v.exports());
        details.put("instances", v.liveInstances());
        details.put("instancesBusy", v.busyInstances());
        details.put("instancesDiscarded", v.discardedInstances());
        details.put("fieldHandles", v.fieldHandles());
        details.put("calls", v.calls());
        details.put("traps", v.traps());
        return new UdfModuleInfo(WasmUdf.TIER, v.name, v.meta.version(), v.meta.description(), v.sha256, v.bytes.length,
                v.meta.registeredAt(), false, fns, Map.of("wasi", v.meta.flag("wasi")), details, "ready");
    }

    /** Starting while stored modules compile after a start; degraded while one no longer loads. */
    @Override
    public TierHealth health() {
        java.util.Map<String, String> pending = pendingStates();
        if (pending.isEmpty()) return TierHealth.OK;
        List<String> problems = new java.util.ArrayList<>();
        boolean failed = false;
        for (var e : pending.entrySet()) {
            failed |= e.getValue().startsWith("failed");
            problems.add("module '" + e.getKey() + "' " + e.getValue());
        }
        return new TierHealth(failed ? TierHealth.Status.DEGRADED : TierHealth.Status.STARTING,
                problems.stream().limit(Messages.MAX_ITEMS).toList(), java.util.Map.of("modules_not_ready", pending.size()));
    }

    @Override
    public UdfFunction resolve(Expr.UdfCall call, List<ValueKind> argumentKinds) {
        ModuleVersion v = version(call.module());
        StrataException notReady = v == null ? notReady(call.module()) : null;
        if (notReady != null) throw notReady;
        if (v == null) {
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "there is no wasm_udf module '" + call.module() + "'"
                    + (names().isEmpty() ? "; none is registered" : "; the modules are " + Messages.list(names(), ", ")));
        }
        ModuleVersion.UdfEntry fn = v.functions().get(call.function());
        if (fn == null) {
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "wasm_udf module '" + call.module() + "' has no function '"
                    + call.function() + "'; its functions are " + v.functions().values().stream()
                    .map(f -> f.name() + " " + f.signature()).collect(Collectors.collectingAndThen(Collectors.toList(), l -> Messages.list(l, ", "))));
        }
        if (fn.signature().params().size() != call.args().size()) {
            int n = fn.signature().params().size();
            throw new StrataException(ErrorCode.WRONG_ARGUMENTS, "wasm_udf('" + call.qualifiedName() + "') takes " + n
                    + " argument" + (n == 1 ? "" : "s") + " " + fn.signature() + ", not " + call.args().size());
        }
        return new WasmUdf(v, fn);
    }
}
