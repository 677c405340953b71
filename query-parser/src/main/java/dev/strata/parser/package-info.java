/**
 * The query language: text to engine-core AST ({@link dev.strata.parser.QueryParser}) and back
 * ({@link dev.strata.parser.QueryPrinter}). Generated ANTLR code stays in {@code .internal}. This
 * module may depend on engine-core and ANTLR only.
 */
package dev.strata.parser;
