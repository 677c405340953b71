package dev.strata.core.spi;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the node gives a tier when it starts: a directory the tier owns (under the node's data
 * directory) and settings by name ("wasm.memory.max-pages", ...), each with a documented default.
 */
public record TierEnvironment(Path directory, Map<String, String> settings) {
    public TierEnvironment {
        Objects.requireNonNull(directory, "directory");
        settings = Map.copyOf(settings);
    }

    public int intSetting(String name, int defaultValue) {
        String v = settings.get(name);
        if (v == null) return defaultValue;
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + name + " must be an integer, not '" + v + "'");
        }
    }
}
