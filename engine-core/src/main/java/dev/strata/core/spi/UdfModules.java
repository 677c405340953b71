package dev.strata.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * The registry of a UDF tier: user modules registered by name. A UDF tier's {@link TierProvider}
 * implements it; the node's admin API and CLI reach it through {@link TierProvider} without knowing
 * the tier. All methods are thread-safe.
 */
public interface UdfModules {
    /**
     * Validates, stores and activates a module, or replaces the one of the same name atomically:
     * queries that already resolved the old version finish on it.
     *
     * @throws dev.strata.core.StrataException INVALID_REQUEST listing every problem found
     */
    UdfModuleInfo register(UdfModuleSource source);

    /** The registered modules, by name. */
    List<UdfModuleInfo> list();

    Optional<UdfModuleInfo> describe(String name);

    /**
     * Removes a module: new queries no longer see it; queries running on it finish first, then its
     * instances are dropped. Returns false when there was no such module.
     */
    boolean unload(String name);

    /** Changes whenever a module is registered, replaced or unloaded, so cached plans can be dropped. */
    long generation();
}
