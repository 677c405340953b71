package dev.strata.wasm;

import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.udf.UdfTier;
import dev.strata.wasm.internal.WasmRegistry;
import dev.strata.wasm.internal.WasmUdf;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code wasm_udf} tier: user functions compiled to WebAssembly, run compiled on Chicory from
 * pooled instances. It evaluates {@code wasm_udf('module.function', ...)} calls that the expression
 * tier meets inside clauses, and keeps the module registry ({@link WasmRegistry}).
 *
 * <p>Settings: {@code wasm.memory.max-pages} (256 = 16 MiB per instance), {@code
 * wasm.pool.max-instances} (max(4, 2 x cores)), {@code wasm.pool.warm-instances} (1), {@code
 * wasm.output.max-bytes} (65536, WASI output kept per instance).
 */
public final class WasmTierProvider extends UdfTier {
    WasmTierProvider(WasmRegistry registry) { super(WasmUdf.TIER, registry); }

    /** A ready tier on {@code dir}, for embedding and benchmarks (the node uses {@link WasmTierFactory}). */
    public static WasmTierProvider openAt(Path dir, Map<String, String> settings) {
        return new WasmTierFactory().create(new TierEnvironment(dir, settings));
    }
}
