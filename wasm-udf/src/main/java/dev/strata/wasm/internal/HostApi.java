package dev.strata.wasm.internal;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The host module {@value #MODULE} that every UDF may import: the document under evaluation, read
 * through field handles. ABI version {@value #VERSION}; docs/wasm-udf-abi.md is the contract.
 */
public final class HostApi {
    public static final String MODULE = "strata";
    public static final int VERSION = 1;

    private static final ValType I32 = ValType.I32;
    private static final ValType I64 = ValType.I64;
    private static final ValType F64 = ValType.F64;

    /** Every host function by name, with its WebAssembly type; an import must match exactly. */
    public static final Map<String, FunctionType> FUNCTIONS = Map.ofEntries(
            Map.entry("abi_version", FunctionType.of(List.of(), List.of(I32))),
            Map.entry("field", FunctionType.of(List.of(I32, I32), List.of(I32))),
            Map.entry("kind", FunctionType.of(List.of(I32), List.of(I32))),
            Map.entry("count", FunctionType.of(List.of(I32), List.of(I32))),
            Map.entry("get_i64", FunctionType.of(List.of(I32, I64), List.of(I64))),
            Map.entry("get_f64", FunctionType.of(List.of(I32, F64), List.of(F64))),
            Map.entry("get_bool", FunctionType.of(List.of(I32, I32), List.of(I32))),
            Map.entry("get_str", FunctionType.of(List.of(I32, I32, I32), List.of(I32))),
            Map.entry("doc_id", FunctionType.of(List.of(I32, I32), List.of(I32))),
            Map.entry("score", FunctionType.of(List.of(), List.of(F64))));

    private HostApi() {}

    /**
     * The host functions of one instance, reading the document from {@code ctx}. Each returns the
     * same one-element array, refilled per call: Chicory copies the result out at once, and an
     * instance runs on one thread at a time and never re-enters the host, so per-document host
     * calls allocate nothing.
     */
    static HostFunction[] bind(DocContext ctx, FieldHandles handles) {
        long[] r = new long[1];
        return new HostFunction[] {
            fn("abi_version", (inst, a) -> ret(r, VERSION)),
            fn("field", (inst, a) -> {
                if ((int) a[1] > FieldHandles.MAX_PATH_BYTES) {
                    throw new LimitExceeded("it asked for a handle for a field path of " + (int) a[1] + " bytes; a path is at most "
                            + FieldHandles.MAX_PATH_BYTES + " bytes");
                }
                String path = read(inst.memory(), (int) a[0], (int) a[1]);
                return ret(r, path == null ? -1 : handles.intern(path));
            }),
            fn("kind", (inst, a) -> ret(r, ctx.kind((int) a[0]))),
            fn("count", (inst, a) -> ret(r, ctx.count((int) a[0]))),
            fn("get_i64", (inst, a) -> ret(r, ctx.getLong((int) a[0], a[1]))),
            fn("get_f64", (inst, a) -> ret(r, Double.doubleToRawLongBits(ctx.getDouble((int) a[0], Double.longBitsToDouble(a[1]))))),
            fn("get_bool", (inst, a) -> ret(r, ctx.getBool((int) a[0], (int) a[1]))),
            fn("get_str", (inst, a) -> ret(r, copyOut(inst.memory(), ctx.getString((int) a[0]), (int) a[1], (int) a[2]))),
            fn("doc_id", (inst, a) -> ret(r, copyOut(inst.memory(), ctx.docId(), (int) a[0], (int) a[1]))),
            fn("score", (inst, a) -> ret(r, Double.doubleToRawLongBits(ctx.score))),
        };
    }

    private static long[] ret(long[] r, long v) {
        r[0] = v;
        return r;
    }

    private static HostFunction fn(String name, com.dylibso.chicory.runtime.WasmFunctionHandle body) {
        return new HostFunction(MODULE, name, FUNCTIONS.get(name), body);
    }

    /** UTF-8 text at [ptr, ptr+len) of guest memory, or null when out of bounds. */
    private static String read(Memory m, int ptr, int len) {
        if (m == null || len < 0 || ptr < 0 || (long) ptr + len > (long) m.pages() * Memory.PAGE_SIZE) return null;
        return new String(m.readBytes(ptr, len), StandardCharsets.UTF_8);
    }

    /** Copies {@code s} as UTF-8 into [buf, buf+cap) if it fits; returns its length in bytes, -1 for null. */
    private static long copyOut(Memory m, String s, int buf, int cap) {
        if (s == null) return -1;
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= cap) {
            if (buf < 0 || (long) buf + b.length > (long) m.pages() * Memory.PAGE_SIZE) {
                throw new IllegalArgumentException("buffer [" + buf + ", +" + b.length + ") is outside linear memory");
            }
            m.write(buf, b);
        }
        return b.length;
    }
}
