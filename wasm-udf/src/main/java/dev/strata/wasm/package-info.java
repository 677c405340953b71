/**
 * The WebAssembly UDF tier on Chicory: {@link dev.strata.wasm.WasmTierProvider} is its only public
 * entry, found by {@link java.util.ServiceLoader}. No Chicory type appears in a public signature
 * outside this module. Depends on engine-core only.
 *
 * <p>Lifetimes: a module version is validated and compiled once (registration or node start); its
 * instances are pooled and reused across queries; a query resolves a function once at plan time and
 * calls it once per batch of candidates. The ABI the guest sees is in docs/wasm-udf-abi.md.
 */
package dev.strata.wasm;
