package dev.strata.core.udf;

import dev.strata.core.spi.TierHealth;
import dev.strata.core.spi.UdfModules;
import dev.strata.core.spi.UdfResolver;

/**
 * What a UDF tier keeps: its modules (register, list, describe, unload) and the resolution of
 * {@code tier('module.function', ...)} calls against their current versions. Both UDF tiers
 * implement it over their own engine; {@link UdfTier} turns one into a tier. Thread-safe.
 */
public interface UdfRegistry extends UdfModules, UdfResolver {
    /** How the registry is doing (modules still loading, failed ones); cheap, never throws. */
    TierHealth health();

    /** Releases the engine (pools, worker processes); called once when the node closes. */
    void close();
}
