package dev.strata.expr.internal;

import dev.strata.core.segment.Bits;
import dev.strata.core.segment.StringDictionary;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfStats;
import dev.strata.core.value.ValueKind;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Calls a deterministic UDF once per distinct argument value, for one call site bound to one
 * segment. The rows of a batch are grouped by their arguments; the function sees one compacted row
 * per group it has not answered before, and the result goes back to every row of the group.
 * Results are kept for the whole run ({@link dev.strata.core.spi.ExecutionContext#deterministicResults}),
 * so a value met again in a later batch or segment costs a lookup, not a call.
 *
 * <p>Two ways to group. {@link ByCode}: the one argument is a dictionary-coded string column, so
 * rows are grouped by code with an array indexed by code, and a string is decoded once per distinct
 * code. {@link ByValue}: any arguments, grouped by their values in a hash map; it stops grouping
 * for the rest of the segment when nearly every row is a new value (then it would only add cost).
 */
abstract sealed class DistinctCalls permits DistinctCalls.ByCode, DistinctCalls.ByValue {
    /** A null argument (as a key) or a null result (as a value): maps hold no nulls. */
    static final Object NULL = new Object() {
        @Override
        public String toString() { return "NULL"; }
    };
    /** Results kept per function and run, at most; later distinct values are still called once per batch. */
    static final int MAX_RUN_RESULTS = 1 << 16;
    /** Heap per kept result besides its strings, near enough (map node, boxes). */
    private static final long ENTRY_BYTES = 96;
    /** The largest dictionary whose codes get a result slot each (8 bytes per code). */
    static final int MAX_CODES = 1 << 20;

    final CallKernels.Udf udf;
    private final ValueKind resultKind;
    private UdfBatch compacted;
    private Map<Object, Object> runResults;
    private UdfStats stats;

    DistinctCalls(CallKernels.Udf udf) {
        this.udf = udf;
        this.resultKind = udf.function.resultKind();
    }

    static DistinctCalls of(CallKernels.Udf udf) {
        if (udf.args.length == 1 && udf.args[0] instanceof FieldReaders.StringField f && f.dictionary != null
                && f.dictionary.size() <= MAX_CODES && udf.function.parameterKinds().get(0) == ValueKind.STRING) {
            return new ByCode(udf, f);
        }
        return new ByValue(udf);
    }

    /** Fills the result columns of {@code udf.batch} (set up by the caller) for the rows. */
    abstract void call(Rows r);

    final Map<Object, Object> runResults(Rows r) {
        if (runResults == null) {
            runResults = r.run.deterministicResults(udf.function);
            stats = r.run.udfStats(udf.tier, udf.qualifiedName);
        }
        return runResults;
    }

    final void reused(long rows) {
        if (rows > 0) stats.reuse(rows);
    }

    /** Keeps a result for the rest of the run, accounted against its memory budget, unless the run keeps enough already. */
    final void keep(Rows r, Object key, Object result) {
        if (runResults.size() >= MAX_RUN_RESULTS) return;
        long bytes = ENTRY_BYTES + (key instanceof String s ? UdfBatch.stringBytes(s) : 0)
                + (result instanceof String s ? UdfBatch.stringBytes(s) : 0);
        r.run.memory().reserve(bytes, udf.batch.label + " results kept for distinct arguments");
        runResults.put(key, result);
    }

    /** A batch of {@code count} rows of its own, to hand the function the distinct arguments. */
    final UdfBatch compacted(Rows r, int count) {
        if (compacted == null || compacted.docs.length < count) {
            compacted = UdfBatch.allocate(udf.function.parameterKinds(), Math.max(count, 64));
            compacted.label = udf.batch.label;
        }
        compacted.context = r.run;
        compacted.segment = r.segment;
        compacted.scores = null; // a deterministic function does not read the score
        compacted.count = count;
        compacted.releaseResults();
        Arrays.fill(compacted.outValid, 0, Bits.words(count), 0L);
        for (long[] v : compacted.argValid) Arrays.fill(v, 0, Bits.words(count), 0L);
        return compacted;
    }

    /** Result {@code u} of the compacted batch, boxed once per distinct value. */
    final Object result(UdfBatch b, int u) {
        if (!Bits.get(b.outValid, u)) return NULL;
        return switch (resultKind) {
            case FLOAT -> b.outDoubles[u];
            case STRING -> b.outStrings[u];
            default -> b.outLongs[u];
        };
    }

    /** Writes a kept result into row {@code i} of the caller's batch (its valid bits start clear). */
    final void write(int i, Object result) {
        if (result == NULL) return;
        UdfBatch b = udf.batch;
        switch (resultKind) {
            case FLOAT -> b.outDoubles[i] = (Double) result;
            case STRING -> b.outStrings[i] = (String) result; // accounted when kept
            default -> b.outLongs[i] = (Long) result;
        }
        b.outValid[i >>> 6] |= 1L << i;
    }

    /** One string argument read as dictionary codes: a result slot per code for this segment. */
    static final class ByCode extends DistinctCalls {
        /** Marks a code met in this batch whose result is on its way. */
        private static final Object PENDING = new Object();
        private final FieldReaders.StringField column;
        private final StringDictionary dictionary;
        private Object[] byCode;
        private Object nullResult;
        private int[] uniqueCodes = new int[0];
        private int[] representative = new int[0];

        ByCode(CallKernels.Udf udf, FieldReaders.StringField column) {
            super(udf);
            this.column = column;
            this.dictionary = column.dictionary;
        }

        @Override
        void call(Rows r) {
            Map<Object, Object> known = runResults(r);
            if (byCode == null) {
                r.run.memory().reserve(8L * dictionary.size(), udf.batch.label + " results per distinct value");
                byCode = new Object[dictionary.size()];
            }
            int n = r.n;
            column.eval(r);
            long[] codes = column.codes;
            long[] valid = column.valid;
            if (uniqueCodes.length < n) {
                uniqueCodes = new int[n];
                representative = new int[n];
            }
            int unique = 0;
            int nullRow = -1;
            for (int i = 0; i < n; i++) {
                if (!Bits.get(valid, i)) {
                    if (nullResult == null && nullRow < 0) nullRow = i;
                    continue;
                }
                int c = (int) codes[i];
                if (byCode[c] != null) continue;
                Object earlier = known.get(dictionary.get(c));
                if (earlier != null) {
                    byCode[c] = earlier;
                    continue;
                }
                byCode[c] = PENDING;
                uniqueCodes[unique] = c;
                representative[unique++] = i;
            }
            if (nullRow >= 0) {
                Object earlier = known.get(NULL);
                if (earlier != null) {
                    nullResult = earlier;
                    nullRow = -1;
                }
            }
            int calls = unique + (nullRow >= 0 ? 1 : 0);
            if (calls > 0) {
                UdfBatch b = compacted(r, calls);
                for (int u = 0; u < unique; u++) {
                    b.strings[0][u] = dictionary.get(uniqueCodes[u]);
                    b.argValid[0][u >>> 6] |= 1L << u;
                    b.docs[u] = r.doc[representative[u]];
                }
                if (nullRow >= 0) b.docs[unique] = r.doc[nullRow]; // its argument stays null
                try {
                    udf.function.evaluate(b);
                } catch (RuntimeException | Error e) {
                    for (int u = 0; u < unique; u++) byCode[uniqueCodes[u]] = null;
                    throw e;
                }
                for (int u = 0; u < unique; u++) {
                    Object result = result(b, u);
                    byCode[uniqueCodes[u]] = result;
                    keep(r, b.strings[0][u], result);
                }
                if (nullRow >= 0) {
                    nullResult = result(b, unique);
                    keep(r, NULL, nullResult);
                }
            }
            for (int i = 0; i < n; i++) write(i, Bits.get(valid, i) ? byCode[(int) codes[i]] : nullResult);
            reused(n - calls);
        }
    }

    /** Any arguments, grouped by value in a hash map. */
    static final class ByValue extends DistinctCalls {
        /** Rows seen before grouping may give up, and the share of them that must be new values for it to. */
        private static final int TRIAL_ROWS = 16_384;
        private final ValueKind[] kinds;
        private final Map<Object, Integer> batchGroups = new HashMap<>();
        private int[] group = new int[0];
        private int[] representative = new int[0];
        private Object[] keys = new Object[0];
        private long rowsSeen;
        private long callsMade;
        private boolean gaveUp;

        ByValue(CallKernels.Udf udf) {
            super(udf);
            this.kinds = udf.function.parameterKinds().toArray(ValueKind[]::new);
        }

        @Override
        void call(Rows r) {
            udf.loadArguments(r);
            if (gaveUp) {
                udf.function.evaluate(udf.batch);
                return;
            }
            Map<Object, Object> known = runResults(r);
            int n = r.n;
            if (group.length < n) {
                group = new int[n];
                representative = new int[n];
                keys = new Object[n];
            }
            batchGroups.clear();
            int unique = 0;
            for (int i = 0; i < n; i++) {
                Object key = key(i);
                Object earlier = known.get(key);
                if (earlier != null) {
                    write(i, earlier);
                    group[i] = -1;
                    continue;
                }
                Integer g = batchGroups.putIfAbsent(key, unique);
                if (g == null) {
                    g = unique;
                    keys[unique] = key;
                    representative[unique++] = i;
                }
                group[i] = g;
            }
            if (unique > 0) {
                UdfBatch b = compacted(r, unique);
                UdfBatch from = udf.batch;
                for (int u = 0; u < unique; u++) {
                    int i = representative[u];
                    b.docs[u] = r.doc[i];
                    for (int a = 0; a < kinds.length; a++) {
                        if (!Bits.get(from.argValid[a], i)) continue;
                        b.argValid[a][u >>> 6] |= 1L << u;
                        switch (kinds[a]) {
                            case FLOAT -> b.doubles[a][u] = from.doubles[a][i];
                            case STRING -> b.strings[a][u] = from.strings[a][i];
                            default -> b.longs[a][u] = from.longs[a][i];
                        }
                    }
                }
                udf.function.evaluate(b);
                Object[] results = new Object[unique];
                for (int u = 0; u < unique; u++) {
                    results[u] = result(b, u);
                    keep(r, keys[u], results[u]);
                }
                for (int i = 0; i < n; i++) if (group[i] >= 0) write(i, results[group[i]]);
            }
            Arrays.fill(keys, 0, unique, null);
            reused(n - unique);
            rowsSeen += n;
            callsMade += unique;
            if (rowsSeen >= TRIAL_ROWS && callsMade * 2 > rowsSeen) gaveUp = true; // mostly new values: grouping does not pay
        }

        /** The arguments of row {@code i} as a map key: one boxed value, or a list of them. */
        private Object key(int i) {
            if (kinds.length == 1) return key(0, i);
            Object[] k = new Object[kinds.length];
            for (int a = 0; a < kinds.length; a++) k[a] = key(a, i);
            return Arrays.asList(k);
        }

        private Object key(int a, int i) {
            UdfBatch b = udf.batch;
            if (!Bits.get(b.argValid[a], i)) return NULL;
            return switch (kinds[a]) {
                case FLOAT -> b.doubles[a][i];
                case STRING -> b.strings[a][i];
                default -> b.longs[a][i];
            };
        }
    }
}
