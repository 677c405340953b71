package dev.strata.examples;

import dev.strata.core.udf.SignatureFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The committed example modules: {@code examples/<language>/shop.wasm} and its signature file. */
public final class ExampleModules {
    /** Every language with an example module, in the order the guide lists them. */
    public static final List<String> LANGUAGES = List.of("wat", "c", "assemblyscript", "rust");
    /** The languages whose module has all five functions (the WAT one has three). */
    public static final List<String> SDK_LANGUAGES = List.of("c", "assemblyscript", "rust");

    private ExampleModules() {}

    /** The {@code examples} directory, found from the working directory or one of its parents. */
    public static Path directory() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("examples/build.sh"))) return p.resolve("examples");
        }
        throw new IllegalStateException("no examples/build.sh in " + Path.of("").toAbsolutePath() + " or a parent directory");
    }

    /** The bytes of {@code examples/<language>/shop.wasm}. */
    public static byte[] wasm(String language) {
        try {
            return Files.readAllBytes(directory().resolve(language).resolve("shop.wasm"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The declared signatures of a language's module, from its {@code shop.signatures}. */
    public static Map<String, String> signatures(String language) {
        try {
            return SignatureFile.parse(Files.readAllLines(directory().resolve(language).resolve("shop.signatures"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
