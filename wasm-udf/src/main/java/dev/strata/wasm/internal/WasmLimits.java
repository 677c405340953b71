package dev.strata.wasm.internal;

import dev.strata.core.spi.TierEnvironment;

/**
 * Per-module-version limits, from the node's tier settings.
 *
 * @param maxMemoryPages cap on each instance's linear memory in 64 KiB pages (the lower of this and
 *     the module's own declared maximum applies)
 * @param maxInstances instances per module version (concurrent calls beyond it wait)
 * @param warmInstances instances made at registration, before the first query
 * @param outputBytes bytes of stdout/stderr kept per instance of a WASI module
 * @param instantiateMillis deadline for making one instance (a start function that loops is stopped;
 *     {@code wasm.instantiate-timeout-ms}, 30 s)
 * @param resultMaxBytes longest string result a function may return (UTF-8 bytes); a longer one fails the query
 * @param maxFieldHandles distinct field paths one module version may ask handles for
 * @param assembleMillis how long assembling a {@code .wat} text may take ({@code wasm.assemble-timeout-ms}, 120 s)
 */
public record WasmLimits(int maxMemoryPages, int maxInstances, int warmInstances, int outputBytes, long instantiateMillis,
                         int resultMaxBytes, int maxFieldHandles, long assembleMillis) {
    public static final WasmLimits DEFAULTS = new WasmLimits(256, Math.max(4, 2 * Runtime.getRuntime().availableProcessors()), 1,
            64 << 10, 30_000, 1 << 20, 4096, 120_000);

    public WasmLimits {
        if (maxMemoryPages < 1 || maxMemoryPages > 65536) throw new IllegalArgumentException("wasm.memory.max-pages must be in 1..65536");
        if (maxInstances < 1) throw new IllegalArgumentException("wasm.pool.max-instances must be at least 1");
        if (warmInstances < 0) throw new IllegalArgumentException("wasm.pool.warm-instances must not be negative");
        if (resultMaxBytes < 1) throw new IllegalArgumentException("wasm.result.max-bytes must be at least 1");
        if (maxFieldHandles < 1) throw new IllegalArgumentException("wasm.field-handles.max must be at least 1");
    }

    public static WasmLimits from(TierEnvironment env) {
        return new WasmLimits(env.intSetting("wasm.memory.max-pages", DEFAULTS.maxMemoryPages),
                env.intSetting("wasm.pool.max-instances", DEFAULTS.maxInstances),
                env.intSetting("wasm.pool.warm-instances", DEFAULTS.warmInstances),
                env.intSetting("wasm.output.max-bytes", DEFAULTS.outputBytes),
                env.intSetting("wasm.instantiate-timeout-ms", (int) DEFAULTS.instantiateMillis),
                env.intSetting("wasm.result.max-bytes", DEFAULTS.resultMaxBytes),
                env.intSetting("wasm.field-handles.max", DEFAULTS.maxFieldHandles),
                env.intSetting("wasm.assemble-timeout-ms", (int) DEFAULTS.assembleMillis));
    }
}
