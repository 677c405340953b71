/**
 * The tier SPI: providers are found by ServiceLoader, compile a clause once per query, bind it
 * once per segment, and filter batches. Nothing here may import a tier.
 */
package dev.strata.core.spi;
