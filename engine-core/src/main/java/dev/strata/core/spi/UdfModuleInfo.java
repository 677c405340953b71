package dev.strata.core.spi;

import java.util.List;
import java.util.Map;

/**
 * A registered module as listed and described.
 *
 * @param sha256 hex digest of the stored bytes (the module's content address)
 * @param registeredAt ISO-8601 instant of this version's registration
 * @param replaced whether this registration replaced an earlier version (only set in the reply to it)
 * @param functions the functions a query can call, with their signatures
 * @param details tier-specific facts (memory limits, whether it runs compiled, instances, ...)
 * @param state {@code ready}, {@code loading} (a stored module still being checked after a start:
 *     queries on it answer 503 until it is ready) or {@code failed: why} (it can be unloaded or
 *     registered again)
 */
public record UdfModuleInfo(String tier, String name, String version, String description, String sha256,
                            long sizeBytes, String registeredAt, boolean replaced, List<Function> functions,
                            Map<String, Object> options, Map<String, Object> details, String state) {
    public UdfModuleInfo {
        functions = List.copyOf(functions);
        options = Map.copyOf(options);
        details = Map.copyOf(details);
    }

    /** A callable function: its name, its signature in the tier's syntax and its shape (scalar or batch). */
    public record Function(String name, String signature, String shape) {}

    public UdfModuleInfo asReplacement() {
        return new UdfModuleInfo(tier, name, version, description, sha256, sizeBytes, registeredAt, true, functions, options, details, state);
    }
}
