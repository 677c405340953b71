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
 * <p>Index counts are exact (an index lookup is exact). A stage's estimate assumes each of its
 * conjuncts keeps half of its input: a plain heuristic, shown beside the actual count.
 */
public record ExecutionReport(String index, List<String> indexedClauses, long indexEstimated, long candidates,
                              long scanned, List<StageReport> stages, long matched, long segments, long liveDocs,
                              long indexNanos, long rankNanos, long fetchNanos, List<UdfReport> udfs) {

    /** What one UDF did in this run: guest calls, rows evaluated, time inside it, traps. */
    public record UdfReport(String tier, String function, long calls, long rows, long nanos, long traps) {}

    /** One tier stage: the conjuncts it ran and what happened to the documents it saw. */
    public record StageReport(String tier, String clause, long docsIn, long docsOut, long estimatedOut, long nanos) {}

    static final class Builder {
        private final Plan plan;
        private final ExecutionContext run;
        private long indexed;
        private long scanned;
        private final long[] in;
        private final long[] out;
        private final long[] nanos;
        private long indexNanos;
        private long rankNanos;
        private long fetchNanos;

        Builder(Plan plan, ExecutionContext run) {
            this.plan = plan;
            this.run = run;
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

        void fetchNanos(long ns) { fetchNanos += ns; }

        ExecutionReport build(long matched, Snapshot snapshot) {
            List<StageReport> stages = new ArrayList<>();
            long estimate = plan.index() != null ? indexed : snapshot.liveCount();
            for (int i = 0; i < plan.stages().size(); i++) {
                Plan.Stage s = plan.stages().get(i);
                int conjuncts = s.conjuncts();
                estimate = estimate >> Math.min(62, conjuncts);
                stages.add(new StageReport(s.tier(), s.clause(), in[i], out[i], estimate, nanos[i]));
            }
            return new ExecutionReport(plan.index() == null ? null : plan.index().describe(), plan.indexed(), indexed,
                    plan.index() == null ? scanned : indexed, scanned, stages, matched, snapshot.segments().size(),
                    snapshot.liveCount(), indexNanos, rankNanos, fetchNanos, udfReports());
        }

        private List<UdfReport> udfReports() {
            List<UdfReport> out = new ArrayList<>();
            for (UdfStats u : run.udfStats().values()) {
                out.add(new UdfReport(u.tier(), u.function(), u.calls(), u.rows(), u.nanos(), u.traps()));
            }
            out.sort(java.util.Comparator.comparing(UdfReport::tier).thenComparing(UdfReport::function));
            return out;
        }
    }
}
