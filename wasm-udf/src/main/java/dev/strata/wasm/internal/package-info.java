/**
 * The WASM tier's machinery: validation and compilation ({@link dev.strata.wasm.internal.ModuleVersion}),
 * the instance pool, the host functions, deadlines, storage. Chicory types live here and nowhere else.
 */
package dev.strata.wasm.internal;
