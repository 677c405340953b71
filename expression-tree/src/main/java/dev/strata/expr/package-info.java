/**
 * The expression tier. {@link dev.strata.expr.ExpressionCompiler} type-checks once per query;
 * binding to a segment builds vector kernels over primitive columns and dictionary codes (no
 * boxing, no map lookups per document). {@code .internal} holds the typed form and the kernels;
 * {@code .naive} the tree-walking oracle used only by tests and benchmarks. This module depends
 * on engine-core only.
 */
package dev.strata.expr;
