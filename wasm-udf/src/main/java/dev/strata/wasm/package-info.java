/**
 * The WebAssembly UDF tier on Chicory (filled by the WASM tier issue). It will implement
 * {@link dev.strata.core.spi.TierProvider} and {@link dev.strata.core.spi.UdfResolver}, and no
 * Chicory type may appear in a public signature outside this module. Depends on engine-core only.
 */
package dev.strata.wasm;
