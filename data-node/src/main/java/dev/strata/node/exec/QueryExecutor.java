package dev.strata.node.exec;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.SegmentFilter;
import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.spi.CompiledValue;
import dev.strata.node.plan.Plan;
import dev.strata.node.storage.SegmentEntry;
import dev.strata.node.storage.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import org.roaringbitmap.BatchIterator;
import org.roaringbitmap.RoaringBitmap;

/**
 * Runs a {@link Plan} over one {@link Snapshot}: per segment, the index gives candidates (minus
 * deleted documents), the stages filter them in batches cheapest tier first, then the matches are
 * scored, ranked with a bounded top-k heap ({@code ORDER BY ... LIMIT}), counted and fetched.
 *
 * <p>Ties in every sort key are broken by position (segment, then document), so the same snapshot
 * gives the same page whichever plan ran. One executor per query; not thread-safe.
 */
public final class QueryExecutor {
    private static final int BATCH = SegmentFilter.MAX_BATCH;
    /** Above this many wanted hits a full sort is cheaper than a heap. */
    private static final long HEAP_LIMIT = 100_000;

    /**
     * One matching document: its stored source as the UTF-8 JSON it arrived as (null when a SELECT
     * without {@code *} leaves it out), and the SELECT items by name (null without SELECT).
     */
    public record Hit(String id, double score, byte[] json, java.util.Map<String, Value> fields) {
        public Hit(String id, double score, byte[] json) { this(id, score, json, null); }

        /** The stored source as the UTF-8 JSON it arrived as (without {@code _id}); written into replies as it is. */
        @Override
        public byte[] json() { return json; }

        /** The stored source parsed (for callers that want values; a reply writes {@link #json} instead). */
        public Value.ObjectValue source() {
            return (Value.ObjectValue) Json.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The page of hits, how many documents matched in all, and what each step did. */
    public record Result(long total, List<Hit> hits, ExecutionReport report) {}

    /** Heap of one kept match besides its sort keys, and of one sort key in its typed columns (a string key more), near enough. */
    private static final long MATCH_BYTES = 64, KEY_BYTES = 40;

    private final Plan plan;
    private final int[] stageOrder;
    private final ExecutionReport.Builder report;
    private final ExecutionContext run;
    private long heldForMatches;

    /** An executor for one run without a deadline, its stages in their static order. */
    public QueryExecutor(Plan plan) { this(plan, ExecutionContext.unbounded(), new ConjunctStats(), ""); }

    /**
     * An executor for one run; {@code run} carries its deadline down to the tiers. The stages run
     * in the order {@code stats} gives for {@code collection}, and this run's counts go back to it.
     */
    public QueryExecutor(Plan plan, ExecutionContext run, ConjunctStats stats, String collection) {
        this.plan = plan;
        this.run = run;
        this.stageOrder = stats.order(collection, plan.stages());
        this.report = new ExecutionReport.Builder(plan, run, stats, collection, stageOrder);
    }

    /**
     * Runs the plan. A run past its deadline stops between batches (or, in a UDF, by interruption)
     * with DEADLINE_EXCEEDED.
     */
    public Result execute(Snapshot snapshot) {
        Query q = plan.query();
        // offset + limit, saturating: LIMIT 9223372036854775807 OFFSET 9223372036854775807 keeps everything, never a negative count
        long limit = q.limit().orElse(Long.MAX_VALUE);
        long want = limit > Long.MAX_VALUE - q.offset() ? Long.MAX_VALUE : q.offset() + limit;
        boolean ranked = !q.orderBy().isEmpty() || q.score() != null;
        Ranking ranking = new Ranking(q);
        Comparator<Match> order = ranked ? ranking.order() : Ranking.positionOrder();
        boolean useHeap = ranked && want <= HEAP_LIMIT;
        PriorityQueue<Match> heap = useHeap ? new PriorityQueue<>((int) Math.max(1, Math.min(want, 1024)) + 1, order.reversed()) : null;
        List<Match> all = new ArrayList<>();
        long total = 0;
        if (plan.neverTrue()) {
            return new Result(0, List.of(), report.build(0, snapshot));
        }

        int[] docs = new int[BATCH];
        double[] scores = new double[BATCH];
        SortKeys[] keys = new SortKeys[ranking.keyCount()];
        for (int k = 0; k < keys.length; k++) keys[k] = new SortKeys();
        List<SegmentEntry> segments = snapshot.segments();
        for (int si = 0; si < segments.size(); si++) {
            SegmentEntry entry = segments.get(si);
            Segment s = entry.segment();
            long t0 = System.nanoTime();
            RoaringBitmap candidates = null;
            if (plan.index() != null) {
                candidates = plan.index().evaluate(entry.index());
                report.indexed(candidates.getLongCardinality());
                if (!entry.deleted().isEmpty()) candidates.andNot(entry.deleted());
            } else if (!entry.deleted().isEmpty()) {
                candidates = entry.index().all();
                candidates.andNot(entry.deleted());
            }
            report.indexNanos(System.nanoTime() - t0);
            if (candidates != null && candidates.isEmpty()) continue;

            SegmentFilter[] filters = new SegmentFilter[plan.stages().size()];
            for (int i = 0; i < filters.length; i++) filters[i] = plan.stages().get(i).compiled().bind(s, run);
            CompiledValue.Bound boundScore = plan.score() == null ? null : plan.score().bind(s, run);
            List<CompiledValue.Bound> boundKeys = new ArrayList<>(plan.orderKeys().size());
            for (CompiledValue k : plan.orderKeys()) boundKeys.add(k.bind(s, run));

            BatchIterator it = candidates == null ? null : candidates.getBatchIterator();
            int next = 0;
            while (true) {
                int n;
                if (it == null) {
                    if (next >= s.docCount()) break;
                    n = Math.min(BATCH, s.docCount() - next);
                    for (int i = 0; i < n; i++) docs[i] = next + i;
                    next += n;
                } else {
                    if (!it.hasNext()) break;
                    n = it.nextBatch(docs);
                    if (n == 0) break;
                }
                report.scanned(n);
                run.checkDeadline("");
                int kept = n;
                for (int k = 0; k < filters.length && kept > 0; k++) { // survivors only: each stage sees what the earlier ones kept
                    int i = stageOrder[k];
                    long st = System.nanoTime();
                    int in = kept;
                    kept = filters[i].filter(docs, kept);
                    report.stage(i, in, kept, System.nanoTime() - st);
                }
                if (kept == 0) continue;
                total += kept;
                if (want == 0) continue; // LIMIT 0: count only
                if (!ranked) {
                    for (int i = 0; i < kept && all.size() < want; i++) all.add(new Match(si, docs[i], 1.0, -1));
                    holdMatches(all.size(), 0);
                    continue;
                }
                long st = System.nanoTime();
                if (boundScore != null) boundScore.evaluateScores(docs, kept, scores);
                else Arrays.fill(scores, 0, kept, 1.0);
                for (int k = 0; k < keys.length; k++) boundKeys.get(k).evaluateKeys(docs, kept, scores, keys[k]);
                for (int i = 0; i < kept; i++) {
                    if (heap == null) {
                        all.add(ranking.keep(keys, i, scores[i], si, docs[i]));
                    } else if (heap.size() < want) {
                        heap.add(ranking.keep(keys, i, scores[i], si, docs[i]));
                    } else if (ranking.compare(keys, i, scores[i], si, docs[i], heap.peek()) < 0) {
                        ranking.drop(heap.poll());
                        heap.add(ranking.keep(keys, i, scores[i], si, docs[i]));
                    }
                }
                report.rankNanos(System.nanoTime() - st);
                holdMatches(heap != null ? heap.size() : all.size(), keys.length);
            }
        }

        long st = System.nanoTime();
        List<Match> ordered = heap != null ? new ArrayList<>(heap) : all;
        if (ranked) ordered.sort(order);
        long from = Math.min(q.offset(), ordered.size());
        long to = Math.min(ordered.size(), want);
        report.rankNanos(System.nanoTime() - st);
        st = System.nanoTime();
        List<Hit> hits = new Fetch(plan, segments, run).page(ordered, (int) from, (int) to);
        report.fetchNanos(System.nanoTime() - st);
        return new Result(total, hits, report.build(total, snapshot));
    }

    /** Accounts the matches kept for sorting and paging, as their number grows. */
    private void holdMatches(int count, int keys) {
        long need = count * (MATCH_BYTES + keys * (KEY_BYTES + 8));
        if (need <= heldForMatches) return;
        run.memory().reserve(need - heldForMatches, "the " + count + " matches kept for sorting and paging");
        heldForMatches = need;
    }
}
