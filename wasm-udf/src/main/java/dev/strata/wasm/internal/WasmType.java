package dev.strata.wasm.internal;

import com.dylibso.chicory.wasm.types.ValType;
import dev.strata.core.value.ValueKind;
import java.util.List;
import java.util.Locale;

/** A parameter or result type of the UDF ABI, and how it crosses into WebAssembly. */
public enum WasmType {
    I32(ValueKind.INT, 4), I64(ValueKind.INT, 8), F32(ValueKind.FLOAT, 4), F64(ValueKind.FLOAT, 8),
    /** An i32 that is 0 or not 0. */
    BOOL(ValueKind.BOOL, 4),
    /** UTF-8 bytes in linear memory: a (ptr i32, len i32) pair as a parameter, ptr&lt;&lt;32|len in an i64 as a result. */
    STRING(ValueKind.STRING, 0);

    private final ValueKind kind;
    private final int width;

    WasmType(ValueKind kind, int width) {
        this.kind = kind;
        this.width = width;
    }

    /** The kind a query sees. */
    public ValueKind kind() { return kind; }

    /** Bytes per element in a batch column (0: not allowed in batches). */
    public int width() { return width; }

    public boolean isNumeric() { return this != STRING; }

    /** The WebAssembly values one parameter of this type takes. */
    List<ValType> params() {
        return switch (this) {
            case I32, BOOL -> List.of(ValType.I32);
            case I64 -> List.of(ValType.I64);
            case F32 -> List.of(ValType.F32);
            case F64 -> List.of(ValType.F64);
            case STRING -> List.of(ValType.I32, ValType.I32);
        };
    }

    /** The WebAssembly value a result of this type is. */
    ValType result() {
        return switch (this) {
            case I32, BOOL -> ValType.I32;
            case I64, STRING -> ValType.I64;
            case F32 -> ValType.F32;
            case F64 -> ValType.F64;
        };
    }

    public String display() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a type name: i32, i64, f32, f64, bool, string, or the aliases int (i64) and float (f64). */
    static WasmType parse(String s) {
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "i32" -> I32;
            case "i64", "int" -> I64;
            case "f32" -> F32;
            case "f64", "float" -> F64;
            case "bool" -> BOOL;
            case "string" -> STRING;
            default -> null;
        };
    }

    /** The ABI type of a plain WebAssembly value, for functions declared by their WebAssembly type alone. */
    static WasmType of(ValType t) {
        if (t.equals(ValType.I32)) return I32;
        if (t.equals(ValType.I64)) return I64;
        if (t.equals(ValType.F32)) return F32;
        if (t.equals(ValType.F64)) return F64;
        return null;
    }

    static String wasmName(ValType t) {
        WasmType w = of(t);
        return w == null ? t.toString() : w.display();
    }
}
