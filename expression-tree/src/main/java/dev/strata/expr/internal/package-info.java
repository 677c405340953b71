/**
 * The compiled tier's insides: the typed form ({@link dev.strata.expr.internal.Typed}), the type
 * checker, the binder and the kernels.
 *
 * <p>Kernels are written once per primitive type ({@code long}, {@code double}, dictionary code)
 * on purpose: a generic kernel would box, and one kernel class per type keeps each hot loop
 * monomorphic so the JIT can unroll it. The near-identical {@code ...Long}/{@code ...Double}
 * pairs are that choice, not an oversight.
 */
package dev.strata.expr.internal;
