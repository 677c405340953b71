package dev.strata.wasm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The WebAssembly text modules the tests share (src/test/resources/wat), with the signatures
 * their string, bool and batch functions are declared with. Shipped in the test-jar.
 */
public final class WatFixtures {
    public static final Map<String, String> SCAN_SIGNATURES = Map.of("pricey", "() -> bool");
    public static final Map<String, String> STRING_SIGNATURES = Map.of("len", "(string) -> i32",
            "upper_first", "(string) -> string", "scale", "batch (f64, i64) -> f64");

    private WatFixtures() {}

    /** The text of {@code wat/<name>.wat}. */
    public static String text(String name) {
        try (InputStream in = WatFixtures.class.getResourceAsStream("/wat/" + name + ".wat")) {
            if (in == null) throw new IllegalArgumentException("no fixture wat/" + name + ".wat");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A module whose start function loops once the WASI clock passes {@code soonNanos}. */
    public static String startLoopsAfter(long soonNanos) {
        return """
                (module
                  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func $start
                    (drop (call $clock (i32.const 0) (i64.const 0) (i32.const 8)))
                    (if (i64.gt_u (i64.load (i32.const 8)) (i64.const SOON)) (then (loop $l (br $l)))))
                  (start $start)
                  (func (export "ok") (param i32) (result i32) (local.get 0))
                  (func (export "boom") (param i32) (result i32) unreachable))
                """.replace("SOON", Long.toString(soonNanos));
    }
}
