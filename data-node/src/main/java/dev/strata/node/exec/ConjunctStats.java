package dev.strata.node.exec;

import dev.strata.node.plan.Plan;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each conjunct really costs and keeps, measured by every query that ran it and kept across
 * queries (per collection and conjunct text, newest runs weighted most; a conjunct calling a UDF
 * per module version: its measures go when a module changes), so that the stages of a
 * query run in the order that does the least work: by the classic rank of a filter, its cost per
 * row divided by the share of rows it removes ({@code cost / (1 - selectivity)}). A conjunct not
 * measured yet is ranked by its static cost per row and an assumed selectivity of one half.
 *
 * <p>Order never changes a result: the stages are a conjunction, and each one sees only the rows
 * all earlier ones kept. Thread-safe.
 */
public final class ConjunctStats {
    /** Weight of the newest run in the running averages. */
    static final double NEWEST = 0.3;
    /** The selectivity assumed for a conjunct never measured. */
    public static final double ASSUMED_SELECTIVITY = 0.5;
    /** Conjuncts remembered at most; past this the memory starts over (statistics, not state). */
    private static final int MAX_ENTRIES = 50_000;

    /** Averages of one conjunct: nanoseconds per input row, the share of rows it keeps, how many runs; whether it calls a UDF. */
    public record Measure(double nanosPerRow, double selectivity, long runs, boolean callsUdf) {}

    private final ConcurrentHashMap<String, Measure> measures = new ConcurrentHashMap<>();

    private static String key(String collection, String clause) { return collection + "\u0000" + clause; }

    /** What is known of {@code clause} on {@code collection}, or null. */
    public Measure get(String collection, String clause) { return measures.get(key(collection, clause)); }

    /**
     * Adds one run's counts: {@code in} rows reached the conjunct, {@code out} passed it, in
     * {@code nanos}; {@code callsUdf} when it calls a user function (its measures then belong to the
     * module versions it ran on: see {@link #forgetUdfCalls}).
     */
    public void record(String collection, String clause, long in, long out, long nanos, boolean callsUdf) {
        if (in <= 0) return;
        if (measures.size() > MAX_ENTRIES) measures.clear();
        double cost = nanos / (double) in;
        double kept = out / (double) in;
        measures.merge(key(collection, clause), new Measure(cost, kept, 1, callsUdf), (old, now) -> new Measure(
                old.nanosPerRow() * (1 - NEWEST) + now.nanosPerRow() * NEWEST,
                old.selectivity() * (1 - NEWEST) + now.selectivity() * NEWEST, old.runs() + 1, callsUdf));
    }

    /**
     * Forgets what was measured of conjuncts that call a user function: called when a module is
     * registered, replaced or unloaded, since a new version may cost and keep something else. The
     * measures of plain expressions stay.
     */
    public void forgetUdfCalls() { measures.values().removeIf(Measure::callsUdf); }

    /** The rank of a filter: cost per row over the share of rows it removes (a filter that removes nothing goes last). */
    static double rank(double nanosPerRow, double selectivity) {
        double removed = 1 - Math.min(1, Math.max(0, selectivity));
        return removed <= 1e-9 ? Double.MAX_VALUE / 4 + nanosPerRow : nanosPerRow / removed;
    }

    /** The order to run {@code stages} in on {@code collection}: stage indexes, lowest rank first (ties keep plan order). */
    public int[] order(String collection, List<Plan.Stage> stages) {
        Integer[] idx = new Integer[stages.size()];
        double[] ranks = new double[stages.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
            Plan.Stage s = stages.get(i);
            Measure m = get(collection, s.clause());
            ranks[i] = m == null ? rank(s.staticNanosPerRow(), ASSUMED_SELECTIVITY) : rank(m.nanosPerRow(), m.selectivity());
        }
        Arrays.sort(idx, (a, b) -> Double.compare(ranks[a], ranks[b]));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) out[i] = idx[i];
        return out;
    }
}
