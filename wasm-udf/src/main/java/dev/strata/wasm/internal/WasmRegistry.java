package dev.strata.wasm.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.udf.ModuleStore;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The modules of a node by name, each pointing at its current {@link ModuleVersion}. Reads (query
 * planning) take no lock; registrations and unloads are serialised, compile outside any map
 * update, and swap the entry only when the new version is ready and stored.
 */
public final class WasmRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(WasmRegistry.class);

    private final ModuleStore store;
    private final WasmLimits limits;
    private final Map<String, ModuleVersion> current = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();

    public WasmRegistry(Path dir, WasmLimits limits) {
        this.store = new ModuleStore(dir, ".wasm");
        this.limits = limits;
    }

    /** Loads the stored modules; one that no longer loads is logged and left out, never fatal. */
    public void loadStored() {
        for (ModuleStore.Entry e : store.entries()) {
            try {
                byte[] bytes = store.blob(e.sha256());
                if (!ModuleStore.sha256(bytes).equals(e.sha256())) throw new IllegalStateException("its stored bytes do not match their digest");
                current.put(e.name(), ModuleVersion.load(e, bytes, limits));
            } catch (RuntimeException ex) {
                LOG.error("wasm_udf module '{}' could not be loaded and is not available: {}", e.name(), ex.getMessage());
            }
        }
        generation.incrementAndGet();
        if (!current.isEmpty()) LOG.info("wasm_udf: {} module(s) loaded: {}", current.size(), String.join(", ", current.keySet()));
    }

    public synchronized UdfModuleInfo register(UdfModuleSource src) {
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
        byte[] bytes = src.format().equals("wat") ? WatAssembler.assemble(new String(src.content(), StandardCharsets.UTF_8), src.name()) : src.content();
        String sha = ModuleStore.sha256(bytes);
        ModuleStore.Entry entry = new ModuleStore.Entry(src.name(), sha, src.format(), src.version(), src.description(),
                Instant.now().toString(), Map.of("wasi", wasiOption), src.signatures());
        ModuleVersion v = ModuleVersion.load(entry, bytes, limits);
        store.put(entry, bytes);
        ModuleVersion old = current.put(src.name(), v);
        generation.incrementAndGet();
        if (old != null) old.retire();
        LOG.info("wasm_udf module '{}' {} (sha256 {}): functions {}", src.name(), old == null ? "registered" : "replaced",
                sha.substring(0, 12), v.functions().keySet());
        UdfModuleInfo info = info(v);
        return old == null ? info : info.asReplacement();
    }

    public List<UdfModuleInfo> list() {
        return current.values().stream().sorted(java.util.Comparator.comparing(m -> m.name)).map(WasmRegistry::info).toList();
    }

    public Optional<UdfModuleInfo> describe(String name) {
        return Optional.ofNullable(current.get(name)).map(WasmRegistry::info);
    }

    public synchronized boolean unload(String name) {
        ModuleVersion v = current.get(name);
        if (v == null) return false;
        store.remove(name);
        current.remove(name);
        generation.incrementAndGet();
        v.retire();
        LOG.info("wasm_udf module '{}' unloaded ({} instance(s) still finishing queries)", name, v.busyInstances());
        return true;
    }

    public long generation() { return generation.get(); }

    /** The current version of a module, or null. */
    public ModuleVersion version(String name) { return current.get(name); }

    public java.util.Set<String> names() { return new java.util.TreeSet<>(current.keySet()); }

    public void close() {
        for (ModuleVersion v : current.values()) v.retire();
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
}
