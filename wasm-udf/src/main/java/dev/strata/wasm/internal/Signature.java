package dev.strata.wasm.internal;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDF's signature in the ABI: {@code (string, i64) -> f64} for a scalar function called once per
 * row, {@code batch (f64, f64) -> f64} for one called once per batch with argument columns in linear
 * memory. See docs/wasm-udf-abi.md.
 */
public record Signature(boolean batch, List<WasmType> params, WasmType result) {
    public Signature {
        params = List.copyOf(params);
    }

    /** Parses {@code [batch] (t, ...) -> t}; throws IllegalArgumentException saying what is wrong. */
    public static Signature parse(String text) {
        String s = text.trim();
        boolean batch = false;
        if (s.startsWith("batch")) {
            batch = true;
            s = s.substring(5).trim();
        } else if (s.startsWith("scalar")) {
            s = s.substring(6).trim();
        }
        int arrow = s.indexOf("->");
        if (!s.startsWith("(") || arrow < 0 || s.lastIndexOf(')', arrow) < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a signature like '(string, i64) -> f64' or 'batch (f64) -> f64'");
        }
        String inside = s.substring(1, s.lastIndexOf(')', arrow)).trim();
        List<WasmType> params = new ArrayList<>();
        if (!inside.isEmpty()) {
            for (String p : inside.split(",")) params.add(type(p, text));
        }
        WasmType result = type(s.substring(arrow + 2), text);
        if (batch) {
            for (WasmType p : params) {
                if (!p.isNumeric()) throw new IllegalArgumentException("'" + text + "': a batch function takes numbers and bools only, not strings");
            }
            if (!result.isNumeric()) throw new IllegalArgumentException("'" + text + "': a batch function returns a number or a bool, not a string");
        }
        return new Signature(batch, params, result);
    }

    private static WasmType type(String name, String text) {
        WasmType t = WasmType.parse(name);
        if (t == null) {
            throw new IllegalArgumentException("'" + text + "': unknown type '" + name.trim()
                    + "' (the types are i32, i64, f32, f64, bool, string; int means i64 and float f64)");
        }
        return t;
    }

    /** The signature of an undeclared export whose WebAssembly type is numbers in, one number out; else null. */
    static Signature infer(FunctionType type) {
        if (type.returns().size() != 1) return null;
        List<WasmType> params = new ArrayList<>();
        for (ValType v : type.params()) {
            WasmType w = WasmType.of(v);
            if (w == null) return null;
            params.add(w);
        }
        WasmType r = WasmType.of(type.returns().get(0));
        return r == null ? null : new Signature(false, params, r);
    }

    /** The WebAssembly type the export must have. */
    FunctionType wasmType() {
        List<ValType> p = new ArrayList<>();
        if (batch) {
            p.add(ValType.I32); // row count
            for (int i = 0; i < params.size(); i++) p.add(ValType.I32); // one column pointer per argument
            p.add(ValType.I32); // result column pointer
            return FunctionType.of(p, List.of());
        }
        for (WasmType t : params) p.addAll(t.params());
        return FunctionType.of(p, List.of(result.result()));
    }

    /** Whether calling it needs the guest's alloc/free (strings cross, or columns do). */
    boolean needsMemory() {
        return batch || result == WasmType.STRING || params.contains(WasmType.STRING);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(batch ? "batch (" : "(");
        for (int i = 0; i < params.size(); i++) b.append(i == 0 ? "" : ", ").append(params.get(i).display());
        return b.append(") -> ").append(result.display()).toString();
    }

    static String describe(FunctionType t) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < t.params().size(); i++) b.append(i == 0 ? "" : ", ").append(WasmType.wasmName(t.params().get(i)));
        b.append(") -> ");
        if (t.returns().isEmpty()) return b.append("()").toString();
        if (t.returns().size() == 1) return b.append(WasmType.wasmName(t.returns().get(0))).toString();
        b.append("(");
        for (int i = 0; i < t.returns().size(); i++) b.append(i == 0 ? "" : ", ").append(WasmType.wasmName(t.returns().get(i)));
        return b.append(")").toString();
    }
}
