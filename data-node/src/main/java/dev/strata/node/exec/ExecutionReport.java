package dev.strata.node.exec;

import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.UdfStats;
import dev.strata.node.plan.Plan;
import dev.strata.node.storage.Snapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * What one execution did: the plan's clauses with the tier and index of each, estimated and
 * actual document counts, and time per stage. Explain and profile both render it.
 *
 * <p>Index counts are exact (an index lookup is exact). Stages are listed in the order they ran
 * ({@link ConjunctStats}); each one's estimate uses its measured selectivity (or one half before
 * any measurement), shown beside the actual count, and its static and measured cost per row.
 */
public record ExecutionReport(String index, List<String> indexedClauses, long indexEstimated, long candidates,
                              long scanned, List<StageReport> stages, long matched, long segments, long liveDocs,
                              long indexNanos, long rankNanos, long aggregateNanos, long fetchNanos, List<UdfReport> udfs) {

    /** Per UDF: guest calls, rows the guest evaluated, rows answered from earlier results of a deterministic function, time and traps. */
    public record UdfReport(String tier, String function, long calls, long rows, long reused, long nanos, long traps) {}

    /**
     * One conjunct's stage, in the order it ran ({@code position} from 1): what it cost and kept in
     * this run, and what the planner expected. {@code measuredNanosPerRow} is NaN before any run.
     */
    public record StageReport(int position, String tier, String clause, long docsIn, long docsOut, long estimatedOut, long nanos,
                              double staticNanosPerRow, double measuredNanosPerRow, double estimatedSelectivity) {}

    static final class Builder {
        private final Plan plan;
        private final ExecutionContext run;
        private final ConjunctStats stats;
        private final String collection;
        private final int[] order;
        private long indexed;
        private long scanned;
        private final long[] in;
        private final long[] out;
        private final long[] nanos;
        private long indexNanos;
        private long rankNanos;
        private long aggregateNanos;
        private long fetchNanos;

        /** For a run of {@code plan} on {@code collection}, whose stages run in {@code order} (stage indexes). */
        Builder(Plan plan, ExecutionContext run, ConjunctStats stats, String collection, int[] order) {
            this.plan = plan;
            this.run = run;
            this.stats = stats;
            this.collection = collection;
            this.order = order;
            int n = plan.stages().size();
            in = new long[n];
            out = new long[n];
            nanos = new long[n];
        }

        void indexed(long n) { indexed += n; }

        void scanned(long n) { scanned += n; }

        void stage(int i, long docsIn, long docsOut, long ns) {
            in[i] += docsIn;
            out[i] += docsOut;
            nanos[i] += ns;
        }

        void indexNanos(long ns) { indexNanos += ns; }

        void rankNanos(long ns) { rankNanos += ns; }

        void aggregateNanos(long ns) { aggregateNanos += ns; }

        void fetchNanos(long ns) { fetchNanos += ns; }

        ExecutionReport build(long matched, Snapshot snapshot) {
            List<StageReport> stages = new ArrayList<>();
            double estimate = plan.index() != null ? indexed : snapshot.liveCount();
            for (int k = 0; k < order.length; k++) {
                int i = order[k];
                Plan.Stage s = plan.stages().get(i);
                ConjunctStats.Measure m = stats.get(collection, s.clause()); // as the order was chosen: before this run is recorded
                double selectivity = m == null ? ConjunctStats.ASSUMED_SELECTIVITY : m.selectivity();
                estimate *= selectivity;
                stages.add(new StageReport(k + 1, s.tier(), s.clause(), in[i], out[i], Math.round(estimate), nanos[i],
                        s.staticNanosPerRow(), m == null ? Double.NaN : m.nanosPerRow(), selectivity));
            }
            for (int i = 0; i < in.length; i++) {
                Plan.Stage stage = plan.stages().get(i);
                stats.record(collection, stage.clause(), in[i], out[i], nanos[i], !stage.tier().equals("expression"));
            }
            return new ExecutionReport(plan.index() == null ? null : plan.index().describe(), plan.indexed(), indexed,
                    plan.index() == null ? scanned : indexed, scanned, stages, matched, snapshot.segments().size(),
                    snapshot.liveCount(), indexNanos, rankNanos, aggregateNanos, fetchNanos, udfReports());
        }

        private List<UdfReport> udfReports() {
            List<UdfReport> out = new ArrayList<>();
            for (UdfStats u : run.udfStats().values()) {
                out.add(new UdfReport(u.tier(), u.function(), u.calls(), u.rows(), u.reused(), u.nanos(), u.traps()));
            }
            out.sort(java.util.Comparator.comparing(UdfReport::tier).thenComparing(UdfReport::function));
            return out;
        }
    }
}
