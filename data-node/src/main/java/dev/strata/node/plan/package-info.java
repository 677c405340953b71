/**
 * The planner: splits a query's condition into top-level conjuncts, answers the index-able ones
 * (comparisons, IN, BETWEEN with constants, exists, IS MISSING, and AND/OR/NOT trees of them)
 * from per-segment indexes as candidate bitmaps, and sends the rest to the tiers in cost order
 * (expression, then wasm_udf, then python_udf). Only conjuncts are reordered and an index leaf
 * yields exactly the documents for which the leaf is TRUE, so results never depend on the plan.
 * May use storage and index types; never the HTTP layer.
 */
package dev.strata.node.plan;
