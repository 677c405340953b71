package dev.strata.core.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A module as a user submits it.
 *
 * @param name the module name used in queries ({@code wasm_udf('name.function', ...)})
 * @param content the module: WebAssembly binary bytes, or UTF-8 source text
 * @param format "wasm", "wat" or a tier's own format ("python")
 * @param version free text kept with the module ("1.2.0"); may be empty
 * @param description free text; may be empty
 * @param signatures declared function signatures by function name, in the tier's syntax
 * @param options tier options by name (for WASM: "wasi" = "true")
 */
public record UdfModuleSource(String name, byte[] content, String format, String version, String description,
                              Map<String, String> signatures, Map<String, String> options) {
    public UdfModuleSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(format, "format");
        version = version == null ? "" : version;
        description = description == null ? "" : description;
        signatures = Map.copyOf(signatures == null ? Map.of() : signatures);
        options = Map.copyOf(options == null ? Map.of() : options);
    }
}
