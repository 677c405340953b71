package dev.strata.python.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfStats;
import dev.strata.core.value.Json;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Python function run in a worker process (the default, isolated mode): one round trip per
 * batch. The worker interrupts Python at the deadline itself; if it has not answered a grace period
 * later (a loop inside a builtin), the node kills it and starts another.
 */
public final class WorkerPythonUdf extends PythonUdf {
    private final PythonWorkerPool pool;
    private final String key;

    public WorkerPythonUdf(PythonWorkerPool pool, PythonModuleVersion version, String key, String function) {
        super(version, function);
        this.pool = pool;
        this.key = key;
    }

    @Override
    public void evaluate(UdfBatch b) {
        ExecutionContext run = b.context;
        UdfStats stats = run.udfStats(TIER, qualified);
        long t0 = System.nanoTime();
        int[] rows = new int[b.count];
        int m = 0;
        for (int i = 0; i < b.count; i++) if (signature.params().isEmpty() || b.allArgumentsPresent(i)) rows[m++] = i;
        if (m == 0) return;
        PythonWorkerPool.Worker w = pool.borrow(run.deadlineNanos());
        ScheduledFuture<?> killer = run.hasDeadline()
                ? Timers.after(run.remainingNanos() + TimeUnit.MILLISECONDS.toNanos(PythonWorkerPool.graceMillis(run.budgetNanos() / 1_000_000)),
                        w::kill) : null;
        long calls = 0;
        try {
            try {
                pool.ensureLoaded(w, key, version);
            } catch (StrataException e) {
                throw new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified + "') cannot run: its module did not load in"
                        + " worker " + w.process.pid() + ": " + e.getMessage());
            }
            w.out.writeByte(WorkerProtocol.CALL);
            WorkerProtocol.writeString(w.out, key);
            WorkerProtocol.writeString(w.out, function);
            w.out.writeLong(run.hasDeadline() ? Math.max(1, run.remainingNanos() / 1_000_000) : 0);
            w.out.writeInt(m);
            for (int j = 0; j < m; j++) {
                int d = b.docs[rows[j]];
                WorkerProtocol.writeString(w.out, b.segment.id(d));
                if (signature.document()) WorkerProtocol.writeString(w.out, Json.write(b.segment.source(d)));
            }
            for (int a = 0; a < signature.params().size(); a++) {
                WorkerProtocol.writeColumn(w.out, signature.params().get(a), b.longs[a], b.doubles[a], b.strings[a], b.argValid[a], rows, m);
            }
            w.out.flush();
            if (PythonWorkerPool.answer(w) != WorkerProtocol.RESULT) throw new IOException("no result");
            calls = w.in.readLong();
            long[] longs = new long[m];
            double[] doubles = new double[m];
            String[] strings = new String[m];
            long[] valid = new long[dev.strata.core.segment.Bits.words(m)];
            WorkerProtocol.readColumn(w.in, signature.result(), m, longs, doubles, strings, valid, pool.settings().resultMaxBytes());
            for (int j = 0; j < m; j++) {
                if (!dev.strata.core.segment.Bits.get(valid, j)) continue;
                switch (signature.result()) {
                    case INT, BOOL -> b.setLong(rows[j], longs[j]);
                    case FLOAT -> b.setDouble(rows[j], doubles[j]);
                    case STRING -> b.setString(rows[j], strings[j]);
                    default -> throw new IllegalStateException();
                }
            }
        } catch (IOException e) {
            stats.trap();
            w.kill();
            if (w.killed && run.hasDeadline() && run.remainingNanos() <= 0) {
                throw new StrataException(ErrorCode.DEADLINE_EXCEEDED, TIER + "('" + qualified
                        + "') did not stop at the query deadline of " + run.budgetNanos() / 1_000_000 + " ms; its worker was killed and is being replaced");
            }
            throw new StrataException(ErrorCode.UDF_FAILED, TIER + "('" + qualified
                    + "') failed: its Python worker died (" + e.getMessage() + "); a new one is starting");
        } catch (StrataException e) {
            stats.trap();
            throw e;
        } finally {
            if (killer != null) killer.cancel(false);
            pool.release(w);
            stats.record(calls, b.count, System.nanoTime() - t0);
        }
    }

    /** a batch through the worker pipe, a few hundred ns a row, more for the first batches; kept pessimistic, so an unmeasured Python clause goes after the cheaper ones. */
    @Override
    double defaultCostNanos() { return 2_000; }
}
