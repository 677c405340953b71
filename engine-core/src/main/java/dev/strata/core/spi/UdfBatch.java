package dev.strata.core.spi;

import dev.strata.core.segment.Bits;
import dev.strata.core.segment.Segment;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.List;

/**
 * One batch of rows handed to a {@link UdfFunction}: primitive argument columns in, one result
 * column out, so no value is boxed on the way. The caller (the expression tier) owns it, reuses it
 * for every batch of one bound call site, and uses it from one thread at a time.
 *
 * <p>Argument {@code a} of row {@code i} is in {@code longs[a][i]} when its parameter kind is BOOL
 * (0/1), INT, DATE (epoch day) or TIMESTAMP (epoch micros); in {@code doubles[a][i]} for FLOAT; in
 * {@code strings[a][i]} for STRING. Bit {@code i} of {@code argValid[a]} is set when the argument is
 * not null or missing; the other columns are then meaningless for that row.
 *
 * <p>The function writes the result of row {@code i} into {@code outLongs}, {@code outDoubles} or
 * {@code outStrings} (by its result kind, with the same encodings) and sets bit {@code i} of
 * {@code outValid}; a row whose bit stays clear is null. The caller clears {@code outValid} and
 * sizes every array to at least {@link #count} before the call.
 *
 * <p>String results are accounted against the run's {@link ExecutionContext#memory() memory
 * budget} as they are set, and released by {@link #releaseResults} when the caller moves on to the
 * next batch, so one batch of huge strings fails the query with RESOURCE_EXHAUSTED instead of
 * filling the heap.
 */
public final class UdfBatch {
    private final List<ValueKind> parameterKinds;

    /** The run this batch belongs to: deadline and stats. */
    public ExecutionContext context = ExecutionContext.unbounded();
    /** The segment the rows come from (a function reading the document reads it). */
    public Segment segment;
    /** The document of each row; {@code docs[0..count)}. */
    public int[] docs;
    /** The score of each row's document, or null when every score is 1.0. */
    public double[] scores;
    public int count;

    public final long[][] longs;
    public final double[][] doubles;
    public final String[][] strings;
    public final long[][] argValid;

    public long[] outLongs;
    public double[] outDoubles;
    public String[] outStrings;
    public long[] outValid;
    /** The call as users write it ({@code wasm_udf('m.f')}), for messages; set by the caller. */
    public String label = "a UDF";
    /** String results are reserved against the budget in steps of this many bytes, not one by one. */
    private static final long RESERVE_STEP = 256 << 10;
    private long heldResultBytes;
    private long pendingResultBytes;

    public UdfBatch(List<ValueKind> parameterKinds) {
        this.parameterKinds = List.copyOf(parameterKinds);
        int n = parameterKinds.size();
        longs = new long[n][];
        doubles = new double[n][];
        strings = new String[n][];
        argValid = new long[n][];
    }

    /**
     * A batch that owns arrays for {@code n} rows of every argument and of the result, with docs
     * {@code 0..n-1}: for callers that fill a batch themselves rather than lend it their columns
     * (a Python worker, tests). The segment and context are the caller's to set.
     */
    public static UdfBatch allocate(List<ValueKind> kinds, int n) {
        UdfBatch b = new UdfBatch(kinds);
        for (int a = 0; a < kinds.size(); a++) {
            b.longs[a] = new long[n];
            b.doubles[a] = new double[n];
            b.strings[a] = new String[n];
            b.argValid[a] = new long[Bits.words(n) + 1];
        }
        b.docs = new int[n];
        for (int i = 0; i < n; i++) b.docs[i] = i;
        b.count = n;
        b.outLongs = new long[n];
        b.outDoubles = new double[n];
        b.outStrings = new String[n];
        b.outValid = new long[Bits.words(n) + 1];
        return b;
    }

    public List<ValueKind> parameterKinds() { return parameterKinds; }

    public int arity() { return parameterKinds.size(); }

    /** Whether every argument of row {@code i} is present (a strict function skips the others). */
    public boolean allArgumentsPresent(int i) {
        for (long[] v : argValid) if (!Bits.get(v, i)) return false;
        return true;
    }

    /** Argument {@code a} of row {@code i}, boxed: for slow paths and tests only. */
    public Value argument(int a, int i) {
        if (!Bits.get(argValid[a], i)) return Value.NULL;
        return switch (parameterKinds.get(a)) {
            case BOOL -> Value.of(longs[a][i] != 0);
            case INT -> Value.of(longs[a][i]);
            case FLOAT -> Value.of(doubles[a][i]);
            case STRING -> Value.of(strings[a][i]);
            case DATE -> new Value.DateValue((int) longs[a][i]);
            case TIMESTAMP -> new Value.TimestampValue(longs[a][i]);
            default -> throw new IllegalStateException("no column for " + parameterKinds.get(a));
        };
    }

    public void setLong(int i, long v) {
        outLongs[i] = v;
        outValid[i >>> 6] |= 1L << i;
    }

    /** Sets a float result; an infinite or NaN one is null, as in the expression tier's arithmetic. */
    public void setDouble(int i, double v) {
        if (!Double.isFinite(v)) return;
        outDoubles[i] = v;
        outValid[i >>> 6] |= 1L << i;
    }

    /**
     * Sets a string result, accounting its memory against the run's budget (which may fail the
     * query): reserved in steps of {@value #RESERVE_STEP} bytes, so per row it costs an add.
     */
    public void setString(int i, String v) {
        if (v == null) return;
        pendingResultBytes += stringBytes(v);
        if (pendingResultBytes >= RESERVE_STEP) {
            long bytes = pendingResultBytes;
            pendingResultBytes = 0;
            context.memory().reserve(bytes, label + " string results");
            heldResultBytes += bytes;
        }
        outStrings[i] = v;
        outValid[i >>> 6] |= 1L << i;
    }

    /** Releases what the string results of the previous batch held; called by the caller before each batch. */
    public void releaseResults() {
        context.memory().release(heldResultBytes);
        heldResultBytes = 0;
        pendingResultBytes = 0;
    }

    /** Heap a Java string of {@code s}'s length takes, near enough (header plus UTF-16 or Latin-1 bytes). */
    public static long stringBytes(String s) { return 56L + 2L * s.length(); }
}
