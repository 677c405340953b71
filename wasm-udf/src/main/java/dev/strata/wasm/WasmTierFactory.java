package dev.strata.wasm;

import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.TierFactory;
import dev.strata.wasm.internal.WasmLimits;
import dev.strata.wasm.internal.WasmRegistry;
import dev.strata.wasm.internal.WasmUdf;

/**
 * Creates the wasm_udf tier: the registry on the tier's directory, with the stored modules
 * loaded (compiled in the background; {@code /health} says "starting" until they are ready).
 */
public final class WasmTierFactory implements TierFactory {
    @Override
    public String name() { return WasmUdf.TIER; }

    @Override
    public WasmTierProvider create(TierEnvironment environment) {
        WasmRegistry registry = new WasmRegistry(environment.directory(), WasmLimits.from(environment));
        registry.loadStored();
        return new WasmTierProvider(registry);
    }
}
