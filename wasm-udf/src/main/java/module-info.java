/**
 * The wasm_udf tier: user functions compiled to WebAssembly, run on Chicory. Only {@code
 * dev.strata.wasm} (the factory and the tier) is exported; {@code internal} (registry, pool, host
 * functions, ABI) stays closed, and no Chicory type appears in an exported signature. The
 * benchmarks, which measure raw pooled calls, run on the class path, where module boundaries do
 * not apply; they are the one place that reaches {@code internal}.
 */
module dev.strata.wasm {
    requires transitive dev.strata.core;
    requires com.dylibso.chicory.runtime;
    requires com.dylibso.chicory.compiler;
    requires com.dylibso.chicory.wasi;
    requires com.dylibso.chicory.wasm;
    requires org.slf4j;

    exports dev.strata.wasm;

    provides dev.strata.core.spi.TierFactory with dev.strata.wasm.WasmTierFactory;
}
