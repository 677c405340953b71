package dev.strata.wasm.internal;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import dev.strata.core.udf.SignatureSyntax;
import java.util.ArrayList;
import java.util.List;

/**
 * A UDF's signature in the ABI, in the syntax both UDF tiers share ({@link SignatureSyntax}): {@code
 * (string, i64) -> f64} for a scalar function called once per row, {@code batch (f64, f64) -> f64}
 * for one called once per batch with argument columns in linear memory, either with {@code
 * deterministic} in front when its result depends on its arguments alone, and {@code cost=N} when
 * its author knows what a row costs. See docs/wasm-udf-abi.md.
 */
public record Signature(boolean deterministic, boolean batch, double costNanos, List<WasmType> params, WasmType result) {
    public Signature {
        params = List.copyOf(params);
    }

    /** Parses {@code [deterministic] [batch] (t, ...) -> t}; throws IllegalArgumentException saying what is wrong. */
    public static Signature parse(String text) {
        SignatureSyntax syntax = SignatureSyntax.parse(text, "'(string, i64) -> f64' or 'deterministic batch (f64) -> f64'");
        List<WasmType> params = new ArrayList<>();
        for (String p : syntax.params()) params.add(type(p, text));
        WasmType result = type(syntax.result(), text);
        if (syntax.batch()) {
            for (WasmType p : params) {
                if (!p.isNumeric()) throw new IllegalArgumentException("'" + text + "': a batch function takes numbers and bools only, not strings");
            }
            if (!result.isNumeric()) throw new IllegalArgumentException("'" + text + "': a batch function returns a number or a bool, not a string");
        }
        if (syntax.deterministic() && params.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': a deterministic function takes at least one argument"
                    + " (one without arguments would give one answer for every document)");
        }
        return new Signature(syntax.deterministic(), syntax.batch(), syntax.costNanos(), params, result);
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
        return r == null ? null : new Signature(false, false, Double.NaN, params, r);
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
        StringBuilder b = new StringBuilder(SignatureSyntax.prefix(deterministic, batch, costNanos)).append("(");
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
