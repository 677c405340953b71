/** The query AST as sealed records; the parser builds it and the tiers compile it. */
package dev.strata.core.ast;
