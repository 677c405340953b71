/**
 * Strata's shared vocabulary and the tier SPI: JDK only. Tiers and the node depend on it; it
 * depends on nothing. Tiers are found with {@code ServiceLoader} through {@link
 * dev.strata.core.spi.TierFactory}.
 */
module dev.strata.core {
    requires java.management; // MemoryBreaker reads the heap pools

    exports dev.strata.core;
    exports dev.strata.core.ast;
    exports dev.strata.core.memory;
    exports dev.strata.core.segment;
    exports dev.strata.core.spi;
    exports dev.strata.core.udf;
    exports dev.strata.core.value;

    uses dev.strata.core.spi.TierFactory;
}
