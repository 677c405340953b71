/** The naive tree-walking evaluator: a test and benchmark oracle, never on a query's path. */
package dev.strata.expr.naive;
