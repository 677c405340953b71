package dev.strata.python.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfStats;
import dev.strata.core.value.ValueKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * A Python function run in this JVM (the trusted, lowest-latency mode). Per batch it borrows one
 * context, enters it once, and calls the function per row (scalar and document shapes) or once
 * with the columns (batch shape). A deadline interrupts the context; an interrupted or failed
 * context is closed, never reused.
 */
public final class InProcessPythonUdf extends PythonUdf {
    public InProcessPythonUdf(PythonModuleVersion version, String function) { super(version, function); }

    @Override
    public void evaluate(UdfBatch b) {
        ExecutionContext run = b.context;
        UdfStats stats = run.udfStats(TIER, qualified);
        long t0 = System.nanoTime();
        PythonModuleVersion.Instance inst = version.borrow(run.deadlineNanos());
        Value fn = inst.functions.get(function);
        int[] progress = {0, -1};
        AtomicBoolean fired = new AtomicBoolean(); // set on the timer thread, read here
        ScheduledFuture<?> watchdog = run.hasDeadline() ? Timers.after(run.remainingNanos(), () -> {
            fired.set(true);
            try {
                inst.context.interrupt(Duration.ofSeconds(1));
            } catch (Exception e) {
                inst.broken = true; // a loop inside a builtin cannot be interrupted in this JVM
            }
        }) : null;
        inst.context.enter();
        try {
            if (signature.batch()) callBatch(fn, b, progress);
            else callRows(fn, b, progress);
        } catch (PolyglotException e) {
            inst.broken = true;
            stats.trap();
            String doc = progress[1] >= 0 ? " on document '" + b.segment.id(b.docs[progress[1]]) + "'" : "";
            if (e.isInterrupted() || e.isCancelled() || fired.get()) {
                throw new StrataException(ErrorCode.DEADLINE_EXCEEDED, TIER + "('" + qualified + "') was stopped" + doc
                        + " at the query deadline of " + run.budgetNanos() / 1_000_000 + " ms");
            }
            throw new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified + "') failed" + doc + ": "
                    + PythonErrors.describe(e, version.file));
        } catch (StrataException e) {
            stats.trap();
            throw e;
        } finally {
            if (watchdog != null) watchdog.cancel(false);
            try {
                inst.context.leave();
            } catch (RuntimeException e) {
                inst.broken = true;
            }
            version.release(inst);
            stats.record(progress[0], b.count, System.nanoTime() - t0);
        }
    }

    private void callRows(Value fn, UdfBatch b, int[] progress) {
        List<ValueKind> kinds = signature.params();
        Object[] args = new Object[signature.document() ? 1 : kinds.size()];
        for (int i = 0; i < b.count; i++) {
            if (!kinds.isEmpty() && !b.allArgumentsPresent(i)) continue;
            progress[1] = i;
            if (signature.document()) {
                args[0] = Documents.readOnly(b.segment.source(b.docs[i]));
            } else {
                for (int p = 0; p < kinds.size(); p++) args[p] = argument(b, p, i);
            }
            Value r = fn.execute(args);
            progress[0]++;
            store(b, i, r);
        }
    }

    private void callBatch(Value fn, UdfBatch b, int[] progress) {
        List<ValueKind> kinds = signature.params();
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < b.count; i++) if (b.allArgumentsPresent(i)) rows.add(i);
        if (rows.isEmpty()) return;
        Object[] columns = new Object[kinds.size()];
        for (int p = 0; p < kinds.size(); p++) {
            List<Object> col = new ArrayList<>(rows.size());
            for (int i : rows) col.add(argument(b, p, i));
            columns[p] = Collections.unmodifiableList(col);
        }
        progress[1] = rows.get(0);
        Value out = fn.execute(columns);
        progress[0]++;
        if (!out.hasArrayElements() || out.getArraySize() != rows.size()) {
            throw new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified + "') is a batch function and must return a list of "
                    + rows.size() + " values, one per row; it returned " + out);
        }
        for (int j = 0; j < rows.size(); j++) store(b, rows.get(j), out.getArrayElement(j));
    }

    private static Object argument(UdfBatch b, int p, int i) {
        return switch (b.parameterKinds().get(p)) {
            case INT -> b.longs[p][i];
            case FLOAT -> b.doubles[p][i];
            case STRING -> b.strings[p][i];
            case BOOL -> b.longs[p][i] != 0;
            default -> throw new IllegalStateException("no Python argument for " + b.parameterKinds().get(p));
        };
    }

    private void store(UdfBatch b, int i, Value r) {
        if (r.isNull()) return;
        switch (signature.result()) {
            case BOOL -> {
                if (!r.isBoolean()) throw wrongResult(r);
                b.setLong(i, r.asBoolean() ? 1 : 0);
            }
            case INT -> {
                if (r.isBoolean() || !r.fitsInLong()) throw wrongResult(r);
                b.setLong(i, r.asLong());
            }
            case FLOAT -> {
                if (r.isBoolean() || !r.fitsInDouble()) throw wrongResult(r);
                b.setDouble(i, r.asDouble());
            }
            case STRING -> {
                if (!r.isString()) throw wrongResult(r);
                b.setString(i, r.asString());
            }
            default -> throw new IllegalStateException("result kind " + signature.result());
        }
    }

    private StrataException wrongResult(Value r) {
        return new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified + "') is declared " + signature
                + " but returned " + r + " (" + r.getMetaObject() + ")");
    }

    /** Read-only Java views of stored documents, which Python sees as dict- and list-like. */
    static final class Documents {
        private Documents() {}

        static Map<String, Object> readOnly(dev.strata.core.value.Value.ObjectValue o) {
            Map<String, Object> m = new LinkedHashMap<>();
            o.fields().forEach((k, v) -> m.put(k, java(v)));
            return Collections.unmodifiableMap(m);
        }

        private static Object java(dev.strata.core.value.Value v) {
            return switch (v) {
                case dev.strata.core.value.Value.NullValue n -> null;
                case dev.strata.core.value.Value.BoolValue x -> x.value();
                case dev.strata.core.value.Value.IntValue x -> x.value();
                case dev.strata.core.value.Value.FloatValue x -> x.value();
                case dev.strata.core.value.Value.StringValue x -> x.value();
                case dev.strata.core.value.Value.DateValue x -> java.time.LocalDate.ofEpochDay(x.epochDay()).toString();
                case dev.strata.core.value.Value.TimestampValue x -> dev.strata.core.value.Json.write(x);
                case dev.strata.core.value.Value.ArrayValue a -> Collections.unmodifiableList(a.elements().stream().map(Documents::java).toList());
                case dev.strata.core.value.Value.ObjectValue obj -> readOnly(obj);
            };
        }
    }

    /** entered once per batch, a call about 40 ns plus the conversions; kept pessimistic, so an unmeasured Python clause goes after the cheaper ones. */
    @Override
    double defaultCostNanos() { return 200; }
}
