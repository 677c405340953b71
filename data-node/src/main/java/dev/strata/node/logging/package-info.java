/**
 * Logs as JSON lines (Logback behind SLF4J, with {@link dev.strata.node.logging.JsonLinesEncoder}):
 * every line carries its time, level, logger and, inside a request, its request id and collection;
 * the query log and the slow-query log ({@link dev.strata.node.logging.QueryLog}) add the query,
 * its plan and its timings as fields of their own.
 */
package dev.strata.node.logging;
