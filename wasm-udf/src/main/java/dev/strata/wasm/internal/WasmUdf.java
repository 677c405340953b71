package dev.strata.wasm.internal;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Memory;
import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.memory.Sizes;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfStats;
import dev.strata.core.value.ValueKind;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One WASM function resolved for a query, bound to the module version current at plan time.
 * Per batch it borrows one instance, arms the run's deadline, and either calls the scalar export
 * once per row (host functions read that row's document) or, for a batch export, lays the
 * argument columns into linear memory and calls once. Rows with a null or missing argument are not
 * passed and give null (the functions are strict).
 */
public final class WasmUdf implements UdfFunction {
    public static final String TIER = "wasm_udf";

    private final ModuleVersion version;
    private final ModuleVersion.UdfEntry fn;
    private final String qualified;
    private final List<ValueKind> parameterKinds;
    private final WasmType[] params;
    private final WasmType result;
    private final int wasmArity;

    public WasmUdf(ModuleVersion version, ModuleVersion.UdfEntry fn) {
        this.version = version;
        this.fn = fn;
        this.qualified = version.name + "." + fn.name();
        Signature s = fn.signature();
        this.parameterKinds = s.params().stream().map(WasmType::kind).toList();
        this.params = s.params().toArray(WasmType[]::new);
        this.result = s.result();
        this.wasmArity = s.batch() ? params.length + 2 : s.wasmType().params().size();
    }

    @Override
    public List<ValueKind> parameterKinds() { return parameterKinds; }

    @Override
    public ValueKind resultKind() { return result.kind(); }

    @Override
    public boolean deterministic() { return fn.signature().deterministic(); }

    /** Estimates when nothing is declared (measured here): a pooled scalar call about 50 ns a row, a batch call about 5 ns a row. */
    static final double SCALAR_NANOS = 50, BATCH_NANOS = 5;

    @Override
    public double costHintNanos() {
        double declared = fn.signature().costNanos();
        return !Double.isNaN(declared) ? declared : fn.signature().batch() ? BATCH_NANOS : SCALAR_NANOS;
    }

    public String qualifiedName() { return qualified; }

    public Signature signature() { return fn.signature(); }

    @Override
    public void evaluate(UdfBatch b) {
        ExecutionContext run = b.context;
        if (run.hasDeadline() && run.remainingNanos() <= 0) {
            throw new StrataException(ErrorCode.DEADLINE_EXCEEDED, TIER + "('" + qualified + "') was not started: the query is past its deadline of "
                    + run.budgetNanos() / 1_000_000 + " ms");
        }
        UdfStats stats = run.udfStats(TIER, qualified);
        long t0 = System.nanoTime();
        int[] progress = {0, -1}; // guest calls made, row being evaluated
        // armed before the borrow: an instance made now runs its start function under the query's deadline too
        try (DeadlineGuard.Armed armed = DeadlineGuard.arm(run.deadlineNanos())) {
            GuestInstance g = borrow(run, armed);
            try {
                g.context.segment(b.segment);
                if (fn.signature().batch()) callBatch(g, b, progress);
                else callRows(g, b, progress);
            } catch (StrataException e) {
                if (e.code().kind() != ErrorCode.Kind.RESOURCE) throw failure(e, armed.fired(), b, progress[1], g, run);
                throw e; // a memory budget: the guest returned normally, its instance is fine
            } catch (RuntimeException | StackOverflowError e) {
                throw failure(e, armed.fired(), b, progress[1], g, run);
            } finally {
                version.pool.release(g);
            }
        } finally {
            version.counted(progress[0]);
            stats.record(progress[0], b.count, System.nanoTime() - t0);
        }
    }

    /** An instance for this batch; making a new one (its start function) is stopped at the query's deadline. */
    private GuestInstance borrow(ExecutionContext run, DeadlineGuard.Armed armed) {
        try {
            return version.pool.borrow(run.deadlineNanos());
        } catch (StrataException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            run.udfStats(TIER, qualified).trap();
            version.trapped();
            if (Errors.isInterruption(e) && armed.fired()) {
                Thread.interrupted();
                return throwStart(ErrorCode.DEADLINE_EXCEEDED, "its start function was still running at the query deadline of "
                        + run.budgetNanos() / 1_000_000 + " ms");
            }
            return throwStart(ErrorCode.UDF_FAILED, Errors.reason(e));
        }
    }

    private GuestInstance throwStart(ErrorCode code, String why) {
        throw new StrataException(code, TIER + "('" + qualified + "') could not make an instance of its module: " + why);
    }

    /**
     * One call through the pool with raw WebAssembly arguments (no document, no deadline): borrow,
     * call, give back. For embedding and for measuring the pool itself.
     */
    public long invoke(long... wasmArgs) {
        GuestInstance g = version.pool.borrow(Long.MAX_VALUE);
        try {
            return g.functions[fn.slot()].apply(wasmArgs)[0];
        } catch (RuntimeException | StackOverflowError e) {
            g.broken = true;
            version.trapped();
            throw new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified + "') failed: " + Errors.reason(e));
        } finally {
            version.pool.release(g);
        }
    }

    private void callRows(GuestInstance g, UdfBatch b, int[] progress) {
        ExportFunction f = g.functions[fn.slot()];
        long[] a = g.args(wasmArity);
        DocContext ctx = g.context;
        for (int i = 0; i < b.count; i++) {
            if (params.length > 0 && !b.allArgumentsPresent(i)) continue;
            progress[1] = i;
            ctx.doc = b.docs[i];
            ctx.score = b.scores == null ? 1.0 : b.scores[i];
            int k = 0;
            int stringBytes = 0;
            for (int p = 0; p < params.length; p++) {
                switch (params[p]) {
                    case I32 -> {
                        long v = b.longs[p][i];
                        if (v != (int) v) throw new IllegalArgumentException("argument " + (p + 1) + " is " + v + ", outside the i32 range");
                        a[k++] = v;
                    }
                    case I64, BOOL -> a[k++] = b.longs[p][i];
                    case F32 -> a[k++] = Float.floatToRawIntBits((float) b.doubles[p][i]) & 0xFFFF_FFFFL;
                    case F64 -> a[k++] = Double.doubleToRawLongBits(b.doubles[p][i]);
                    case STRING -> {
                        byte[] bytes = b.strings[p][i].getBytes(StandardCharsets.UTF_8);
                        int base = g.scratch(stringBytes + bytes.length);
                        g.memory.write(base + stringBytes, bytes);
                        a[k++] = base + stringBytes;
                        a[k++] = bytes.length;
                        stringBytes += bytes.length;
                    }
                }
            }
            long r = f.apply(a)[0];
            progress[0]++;
            switch (result) {
                case I32 -> b.setLong(i, (int) r);
                case I64 -> b.setLong(i, r);
                case BOOL -> b.setLong(i, (int) r != 0 ? 1 : 0);
                case F32 -> b.setDouble(i, Float.intBitsToFloat((int) r));
                case F64 -> b.setDouble(i, Double.longBitsToDouble(r));
                case STRING -> b.setString(i, readString(g, r, version.resultMaxBytes()));
            }
        }
    }

    /** Reads a string result (ptr in the high half, length in the low half) and gives its block back. */
    private static String readString(GuestInstance g, long packed, int maxBytes) {
        int ptr = (int) (packed >>> 32);
        int len = (int) packed;
        if (len > maxBytes) {
            throw new LimitExceeded("it returned a string of " + Sizes.of(len) + "; a result is at most " + Sizes.of(maxBytes)
                    + " (setting wasm.result.max-bytes)");
        }
        if (len < 0 || ptr < 0 || (long) ptr + len > (long) g.memory.pages() * Memory.PAGE_SIZE) {
            throw new IllegalArgumentException("the string result [" + ptr + ", +" + len + ") is outside linear memory");
        }
        String s = new String(g.memory.readBytes(ptr, len), StandardCharsets.UTF_8);
        if (g.free != null && len > 0) g.free.apply(ptr, len);
        return s;
    }

    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F32 = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle F64 = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /**
     * The batch shape: the rows whose arguments are all present are packed, column by column,
     * into a staging array on the JVM side, copied into the guest's scratch block in one write,
     * the function is called once, and the result column is copied back in one read.
     */
    private void callBatch(GuestInstance g, UdfBatch b, int[] progress) {
        int n = b.count;
        int[] rows = g.rows(n);
        int m = 0;
        for (int i = 0; i < n; i++) if (b.allArgumentsPresent(i)) rows[m++] = i;
        if (m == 0) return;
        boolean dense = m == n;
        int rowBytes = result.width();
        for (WasmType t : params) rowBytes += t.width();
        int inBytes = m * (rowBytes - result.width());
        int base = g.scratch(m * rowBytes);
        byte[] stage = g.staging(inBytes);
        long[] a = g.args(wasmArity);
        a[0] = m;
        int off = 0;
        for (int p = 0; p < params.length; p++) {
            a[p + 1] = base + off;
            switch (params[p]) {
                case I32, BOOL -> {
                    long[] col = b.longs[p];
                    for (int j = 0; j < m; j++) {
                        long v = col[dense ? j : rows[j]];
                        if (params[p] == WasmType.I32 && v != (int) v) {
                            progress[1] = dense ? j : rows[j];
                            throw new IllegalArgumentException("argument " + (p + 1) + " is " + v + ", outside the i32 range");
                        }
                        I32.set(stage, off + 4 * j, (int) v);
                    }
                }
                case I64 -> {
                    long[] col = b.longs[p];
                    for (int j = 0; j < m; j++) I64.set(stage, off + 8 * j, col[dense ? j : rows[j]]);
                }
                case F32 -> {
                    double[] col = b.doubles[p];
                    for (int j = 0; j < m; j++) F32.set(stage, off + 4 * j, (float) col[dense ? j : rows[j]]);
                }
                case F64 -> {
                    double[] col = b.doubles[p];
                    for (int j = 0; j < m; j++) F64.set(stage, off + 8 * j, col[dense ? j : rows[j]]);
                }
                case STRING -> throw new IllegalStateException("strings are not passed in batches");
            }
            off += m * params[p].width();
        }
        g.memory.write(base, stage, 0, inBytes);
        int out = base + inBytes;
        a[params.length + 1] = out;
        progress[1] = rows[0];
        g.functions[fn.slot()].apply(a);
        progress[0]++;
        byte[] res = g.memory.readBytes(out, m * result.width());
        switch (result) {
            case I32 -> { for (int j = 0; j < m; j++) b.outLongs[dense ? j : rows[j]] = (int) I32.get(res, 4 * j); }
            case BOOL -> { for (int j = 0; j < m; j++) b.outLongs[dense ? j : rows[j]] = (int) I32.get(res, 4 * j) != 0 ? 1 : 0; }
            case I64 -> { for (int j = 0; j < m; j++) b.outLongs[dense ? j : rows[j]] = (long) I64.get(res, 8 * j); }
            case F32 -> { for (int j = 0; j < m; j++) b.outDoubles[dense ? j : rows[j]] = (float) F32.get(res, 4 * j); }
            case F64 -> { for (int j = 0; j < m; j++) b.outDoubles[dense ? j : rows[j]] = (double) F64.get(res, 8 * j); }
            case STRING -> throw new IllegalStateException("strings are not returned from batches");
        }
        if (dense) {
            for (int w = 0; w < (n >>> 6); w++) b.outValid[w] = -1L;
            if ((n & 63) != 0) b.outValid[n >>> 6] |= (1L << n) - 1;
        } else {
            for (int j = 0; j < m; j++) b.outValid[rows[j] >>> 6] |= 1L << rows[j];
        }
        if (result == WasmType.F32 || result == WasmType.F64) {
            for (int j = 0; j < m; j++) { // an infinite or NaN result is null, as everywhere else
                int i = dense ? j : rows[j];
                if (!Double.isFinite(b.outDoubles[i])) b.outValid[i >>> 6] &= ~(1L << i);
            }
        }
    }

    /** Discards the instance, counts the trap and says what went wrong, where. */
    private StrataException failure(Throwable e, boolean deadlineFired, UdfBatch b, int row, GuestInstance g, ExecutionContext run) {
        g.broken = true;
        run.udfStats(TIER, qualified).trap();
        version.trapped();
        String where = row >= 0 && row < b.count ? " on document '" + b.segment.id(b.docs[row]) + "'" : "";
        if (fn.signature().batch() && row >= 0) where = " on a batch of " + b.count + " documents starting at '" + b.segment.id(b.docs[0]) + "'";
        if (Errors.isInterruption(e)) {
            Thread.interrupted();
            if (deadlineFired) {
                return new StrataException(ErrorCode.DEADLINE_EXCEEDED, TIER + "('" + qualified + "') was stopped" + where
                        + " at the query deadline of " + run.budgetNanos() / 1_000_000 + " ms");
            }
            return new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified + "') was interrupted" + where);
        }
        String output = g.output == null ? "" : g.output.tail(300).strip();
        return new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified + "') failed" + where + ": " + Errors.reason(e)
                + (output.isEmpty() ? "" : "; its last output: " + output));
    }
}
