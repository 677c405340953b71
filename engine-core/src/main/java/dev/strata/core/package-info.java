/**
 * Strata's shared vocabulary: errors, values, the query AST, columnar segments and the tier SPI.
 * This module depends on the JDK only; every other module depends on it (DESIGN.md, module arrows).
 */
package dev.strata.core;
