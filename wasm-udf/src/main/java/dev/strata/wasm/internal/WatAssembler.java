package dev.strata.wasm.internal;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Turns WebAssembly text into a binary module with wabt's {@code wat2wasm}, itself compiled to
 * WebAssembly (the {@code com.dylibso.chicory:wabt} artifact ships it), run here on our own Chicory
 * under WASI with one scratch directory and nothing else. Compiled once, on first use (about a second).
 */
public final class WatAssembler {
    private static volatile WasmModule module;
    private static volatile Function<Instance, Machine> machines;

    private WatAssembler() {}

    private static synchronized void load() {
        if (machines != null) return;
        // through the class loader: the binary sits at the root of the wabt jar, outside any package,
        // which Class.getResourceAsStream would look for only in this module
        try (InputStream in = WatAssembler.class.getClassLoader().getResourceAsStream("wat2wasm")) {
            if (in == null) throw new IllegalStateException("wat2wasm is missing from the class path (com.dylibso.chicory:wabt)");
            module = Parser.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        machines = MachineFactoryCompiler.builder(module).withInterpreterFallback(InterpreterFallback.SILENT).compile();
    }

    /**
     * Assembles {@code wat}; a syntax or validation error is an INVALID_REQUEST carrying wat2wasm's
     * message with line and column ({@code module.wat:3:5: error: ...}).
     */
    public static byte[] assemble(String wat, String name) { return assemble(wat, name, 120_000); }

    /**
     * As above, within {@code timeoutMillis}: wat2wasm is a guest like any other, so a text it
     * cannot handle (nesting deep enough to exhaust its own stack) or a run past the limit is an
     * INVALID_REQUEST, never an internal error.
     */
    public static byte[] assemble(String wat, String name, long timeoutMillis) {
        load();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("strata-wat");
            String file = safe(name) + ".wat";
            Files.writeString(dir.resolve(file), wat, StandardCharsets.UTF_8);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            WasiOptions opts = WasiOptions.builder()
                    .withStdout(err, false).withStderr(err, false)
                    .withDirectory("/src", dir)
                    .withArguments(List.of("wat2wasm", "/src/" + file, "-o", "/src/out.wasm"))
                    .build();
            int exit = 0;
            try (WasiPreview1 wasi = WasiPreview1.builder().withOptions(opts).build();
                 DeadlineGuard.Armed armed = DeadlineGuard.arm(System.nanoTime() + timeoutMillis * 1_000_000)) {
                Instance inst = Instance.builder(module).withMachineFactory(machines)
                        .withImportValues(ImportValues.builder().addFunction(wasi.toHostFunctions()).build())
                        .withStart(false).build();
                try {
                    inst.export("_start").apply();
                } catch (WasiExitException e) {
                    exit = e.exitCode();
                } catch (RuntimeException | StackOverflowError e) {
                    String why = armed.fired() ? "wat2wasm did not finish within " + timeoutMillis + " ms"
                            : "wat2wasm failed on it (" + Errors.reason(e) + "); is it nested too deeply?";
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "the WebAssembly text of module '" + name
                            + "' does not assemble: " + why);
                }
            }
            Path out = dir.resolve("out.wasm");
            if (exit != 0 || !Files.exists(out)) {
                String msg = err.toString(StandardCharsets.UTF_8).replace("/src/", "").strip();
                throw new StrataException(ErrorCode.INVALID_REQUEST, "the WebAssembly text of module '" + name
                        + "' does not assemble: " + (msg.isEmpty() ? "wat2wasm exited with " + exit : msg));
            }
            return Files.readAllBytes(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) deleteQuietly(dir);
        }
    }

    private static String safe(String name) { return name.replaceAll("[^A-Za-z0-9_.-]", "_"); }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is harmless
        }
    }
}
