package dev.strata.node.exec;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.Bits;
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
    public record Hit(String id, double score, byte[] json, java.util.Map<String, Value> fields, ResumeAfter position)
            implements java.io.Serializable {
        public Hit(String id, double score, byte[] json) { this(id, score, json, null, null); }

        public Hit(String id, double score, byte[] json, java.util.Map<String, Value> fields) { this(id, score, json, fields, null); }

        /** This hit with where it ranks (its sort-key values, score and id), which merging pages ranked apart needs. */
        Hit at(ResumeAfter p) { return new Hit(id, score, json, fields, p); }

        /** The stored source as the UTF-8 JSON it arrived as (without {@code _id}); written into replies as it is. */
        @Override
        public byte[] json() { return json; }

        /** The stored source parsed (for callers that want values; a reply writes {@link #json} instead). */
        public Value.ObjectValue source() {
            return (Value.ObjectValue) Json.parse(new String(json, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * The page of hits, how many documents matched in all, what each step did, and where the page
     * ended when more hits follow it (null when it is the last page).
     */
    public record Result(long total, List<Hit> hits, ExecutionReport report, ResumeAfter next, List<Facets.Field> facets,
                         Groups groups) {
        public Result(long total, List<Hit> hits, ExecutionReport report, ResumeAfter next) { this(total, hits, report, next, List.of(), null); }
    }

    /**
     * A grouped query's page of rows (each its columns by name, in SELECT order) and how many
     * groups there are in all.
     */
    public record Groups(long total, List<java.util.Map<String, Value>> rows, GroupPartial partial) {}

    /**
     * The page of a grouped {@code plan} over the shards whose {@link Groups#partial}s are
     * {@code partials}: their groups merged, then ordered and cut as one run's would be.
     */
    public static MergedGroups mergeGroups(Plan plan, List<GroupPartial> partials, ResumeAfter after, long defaultSize, ExecutionContext run) {
        Aggregator merged = new Aggregator(plan.grouping(), run);
        for (GroupPartial p : partials) merged.merge(p);
        Aggregator.Page page = merged.page(after, plan.query().offset(), plan.query().limit().orElse(defaultSize));
        return new MergedGroups(new Groups(page.totalGroups(), page.rows(), null), page.next());
    }

    /** Merged groups and where their page ended (null when it is the last). */
    public record MergedGroups(Groups groups, ResumeAfter next) {}

    /** Heap of one kept match besides its sort keys, and of one sort key in its typed columns (a string key more), near enough. */
    private static final long MATCH_BYTES = 64, KEY_BYTES = 40;

    private final Plan plan;
    private final ResumeAfter after;
    private final boolean keepPartial;
    private final long defaultSize;
    private final Facets facets;
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
        this(plan, run, stats, collection, Page.ALL);
    }

    /**
     * Which page a run returns: {@code defaultSize} hits when the query has no LIMIT, the matches
     * ranked after {@code after} when it is not null (a cursor's page; the query's OFFSET then does
     * not apply).
     */
    public record Page(long defaultSize, ResumeAfter after, List<String> facets, int facetSize, boolean partial) {
        /** Every match when the query has no LIMIT, from the first: the embedded API's default. */
        public static final Page ALL = new Page(Long.MAX_VALUE, null);

        public Page {
            facets = List.copyOf(facets);
        }

        /** A page without facets. */
        public Page(long defaultSize, ResumeAfter after) { this(defaultSize, after, List.of(), 0, false); }

        /** A page with facets; a grouped query's partial is left out. */
        public Page(long defaultSize, ResumeAfter after, List<String> facets, int facetSize) { this(defaultSize, after, facets, facetSize, false); }

        /**
         * This page as one shard's part of a merged page: a grouped query keeps its {@link
         * Groups#partial}, and a query of hits returns its first OFFSET + LIMIT hits (the merge cuts).
         */
        public Page withPartial() { return new Page(defaultSize, after, facets, facetSize, true); }
    }

    /** As above, for {@code page}. */
    public QueryExecutor(Plan plan, ExecutionContext run, ConjunctStats stats, String collection, Page page) {
        this.after = page.after();
        this.keepPartial = page.partial();
        this.defaultSize = page.defaultSize();
        this.facets = page.facets().isEmpty() ? null : new Facets(page.facets().stream().map(dev.strata.core.value.FieldPath::parseDotted).toList(),
                page.facets(), page.facetSize());
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
        long limit = q.limit().orElse(defaultSize);
        long want = limit > Long.MAX_VALUE - q.offset() ? Long.MAX_VALUE : q.offset() + limit;
        // a cursor's page starts after it, so the query's OFFSET served the first page only
        if (after != null) want = limit;
        Aggregator aggregator = plan.grouping() == null ? null : new Aggregator(plan.grouping(), run);
        Ranking ranking = new Ranking(aggregator == null ? q : new Query(null, null, List.of(), q.limit(), 0), aggregator == null ? after : null);
        Comparator<Match> order = ranking.order();
        boolean useHeap = want <= HEAP_LIMIT;
        PriorityQueue<Match> heap = useHeap ? new PriorityQueue<>((int) Math.max(1, Math.min(want, 1024)) + 1, order.reversed()) : null;
        List<Match> all = new ArrayList<>();
        long total = 0;
        if (plan.neverTrue()) {
            return aggregator != null ? groups(aggregator, 0, snapshot) : new Result(0, List.of(), report.build(0, snapshot), null);
        }
        long following = 0; // matches ranked after the cursor (all of them without one)
        // ordered by _id alone: a segment's matches are marked, then taken in id order until one cannot make the page
        boolean byIdOnly = aggregator == null && plan.score() == null && plan.orderKeys().isEmpty() && heap != null && want > 0;

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
            if (aggregator != null) aggregator.startSegment(s);

            long[] matched = byIdOnly && s.docCount() > 0 && s.docByIdRank(0) >= 0 ? new long[Bits.words(s.docCount())] : null;
            long segmentMatches = 0;
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
                if (facets != null) facets.add(si, s, docs, kept, run);
                if (aggregator != null) {
                    long st = System.nanoTime();
                    aggregator.add(docs, kept);
                    report.aggregateNanos(System.nanoTime() - st);
                    continue;
                }
                if (matched != null) {
                    for (int i = 0; i < kept; i++) matched[docs[i] >>> 6] |= 1L << docs[i];
                    segmentMatches += kept;
                    continue;
                }
                if (want == 0 && after == null) continue; // LIMIT 0: count only
                long st = System.nanoTime();
                if (boundScore != null) boundScore.evaluateScores(docs, kept, scores);
                else Arrays.fill(scores, 0, kept, 1.0);
                for (int k = 0; k < keys.length; k++) boundKeys.get(k).evaluateKeys(docs, kept, scores, keys[k]);
                for (int i = 0; i < kept; i++) {
                    if (!ranking.afterCursor(keys, i, scores[i], s, docs[i])) continue;
                    following++;
                    if (want == 0) continue;
                    if (heap == null) {
                        all.add(ranking.keep(keys, i, scores[i], si, s, docs[i]));
                    } else if (heap.size() < want) {
                        heap.add(ranking.keep(keys, i, scores[i], si, s, docs[i]));
                    } else if (ranking.compare(keys, i, scores[i], s, docs[i], heap.peek()) < 0) {
                        ranking.drop(heap.poll());
                        heap.add(ranking.keep(keys, i, scores[i], si, s, docs[i]));
                    }
                }
                report.rankNanos(System.nanoTime() - st);
                holdMatches(heap != null ? heap.size() : all.size(), keys.length);
            }
            if (matched != null) following += takeInIdOrder(s, si, matched, segmentMatches, heap, want, ranking, keys);
        }

        if (aggregator != null) return groups(aggregator, total, snapshot);
        long st = System.nanoTime();
        List<Match> ordered = heap != null ? new ArrayList<>(heap) : all;
        ordered.sort(order);
        // a shard's part of a merged page keeps the hits before OFFSET too: the merge cuts the page
        long from = keepPartial && after == null ? 0 : Math.min(q.offset(), ordered.size());
        long to = Math.min(ordered.size(), want);
        report.rankNanos(System.nanoTime() - st);
        st = System.nanoTime();
        List<Hit> fetched = new Fetch(plan, segments, run).page(ordered, (int) from, (int) to);
        List<Hit> hits = new ArrayList<>(fetched.size());
        for (int i = 0; i < fetched.size(); i++) hits.add(fetched.get(i).at(ranking.position(ordered.get((int) from + i))));
        report.fetchNanos(System.nanoTime() - st);
        // more follow when matches after the cursor (or all of them) outnumber this page's end
        ResumeAfter next = to > from && following > (after != null || keepPartial ? 0 : q.offset()) + (to - from)
                ? ranking.position(ordered.get((int) to - 1)) : null;
        return new Result(total, hits, report.build(total, snapshot), next, facets == null ? List.of() : facets.result(), null);
    }

    /** A grouped query's result: its page of rows (see {@link Aggregator#page}) beside the match count and facets. */
    private Result groups(Aggregator aggregator, long total, Snapshot snapshot) {
        long st = System.nanoTime();
        Query q = plan.query();
        Aggregator.Page page = aggregator.page(after, q.offset(), q.limit().orElse(defaultSize));
        report.aggregateNanos(System.nanoTime() - st);
        return new Result(total, List.of(), report.build(total, snapshot), page.next(), facets == null ? List.of() : facets.result(),
                new Groups(page.totalGroups(), page.rows(), keepPartial ? aggregator.partial() : null));
    }

    /**
     * Takes a segment's marked matches in id order (the segment keeps its documents sorted by id)
     * into the heap, after the cursor if there is one, and stops at the first that cannot make the
     * page: every later one has a larger id. Returns how many matches rank after the cursor.
     */
    private long takeInIdOrder(Segment s, int si, long[] matched, long matches, PriorityQueue<Match> heap, long want,
                               Ranking ranking, SortKeys[] keys) {
        int start = 0;
        long before = 0;
        if (after != null) {
            int lo = 0;
            int hi = s.docCount();
            while (lo < hi) { // the first rank whose id is past the cursor's
                int mid = (lo + hi) >>> 1;
                if (dev.strata.core.value.CodePoints.compare(s.id(s.docByIdRank(mid)), after.id()) <= 0) lo = mid + 1;
                else hi = mid;
            }
            start = lo;
            for (int r = 0; r < start; r++) if (Bits.get(matched, s.docByIdRank(r))) before++;
        }
        for (int r = start; r < s.docCount(); r++) {
            int d = s.docByIdRank(r);
            if (!Bits.get(matched, d)) continue;
            if (heap.size() < want) {
                heap.add(ranking.keep(keys, 0, 1.0, si, s, d));
            } else if (dev.strata.core.value.CodePoints.compare(s.id(d), heap.peek().id()) < 0) {
                ranking.drop(heap.poll());
                heap.add(ranking.keep(keys, 0, 1.0, si, s, d));
            } else {
                break;
            }
        }
        holdMatches(heap.size(), 0);
        return matches - before;
    }

    /** Accounts the matches kept for sorting and paging, as their number grows. */
    private void holdMatches(int count, int keys) {
        long need = count * (MATCH_BYTES + keys * (KEY_BYTES + 8));
        if (need <= heldForMatches) return;
        run.memory().reserve(need - heldForMatches, "the " + count + " matches kept for sorting and paging");
        heldForMatches = need;
    }
}
