package dev.strata.node.exec;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Query;
import dev.strata.core.memory.MemoryBreaker;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.node.plan.FieldHints;
import dev.strata.node.plan.Plan;
import dev.strata.node.tier.TierRegistry;
import dev.strata.node.plan.PlanCache;
import dev.strata.node.plan.Planner;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Snapshot;
import dev.strata.parser.QueryParser;
import java.util.List;

/**
 * The query path of a node: parse (cached), plan for the snapshot's schema (cached), execute.
 * Thread-safe; any number of queries run at once, each on the snapshot it started with.
 */
public final class QueryService {
    private final TierRegistry tiers;
    private final QueryParser parser = new QueryParser();
    private final PlanCache cache;
    /** Measured cost and selectivity of every conjunct run, which orders the stages of later runs. */
    private final ConjunctStats conjuncts = new ConjunctStats();
    private final long timeoutNanos;
    private final MemoryBreaker memory;
    private volatile long plannedGeneration = -1;

    public QueryService(TierRegistry tiers, int planCacheSize) {
        this(tiers, planCacheSize, java.time.Duration.ZERO, MemoryBreaker.unlimited());
    }

    /**
     * @param timeout each query's deadline; zero for none
     * @param memory the node's breaker; each query gets a budget under it
     */
    public QueryService(TierRegistry tiers, int planCacheSize, java.time.Duration timeout, MemoryBreaker memory) {
        this.tiers = tiers;
        this.cache = new PlanCache(planCacheSize);
        this.timeoutNanos = timeout.toNanos();
        this.memory = memory;
    }

    /**
     * A query's result with its plan, the time spent before execution and its warnings (the
     * plan's, and a facet field no document has). Close it once the response is written: that
     * gives the query's memory budget back.
     */
    public record Outcome(QueryExecutor.Result result, Plan plan, long parseAndPlanNanos, long executeNanos, ExecutionContext run,
                          List<String> warnings) implements AutoCloseable {
        @Override
        public void close() { run.memory().close(); }
    }

    /**
     * Runs {@code text} on the collection's current snapshot ({@code useIndexes=false} forces a full
     * scan) and gives its memory budget back at once: for callers that write no response.
     */
    public Outcome run(Collection collection, String text, boolean useIndexes) {
        try (Outcome o = start(collection, text, useIndexes, 0)) {
            return o;
        }
    }

    /**
     * As {@link #run}, but the query keeps its memory budget until the caller closes the outcome
     * (after writing the response). {@code timeoutNanos} above zero shortens the node's deadline for
     * this query (it never lengthens it).
     */
    public Outcome start(Collection collection, String text, boolean useIndexes, long timeoutNanos) {
        return start(collection, text, useIndexes, timeoutNanos, false);
    }

    /**
     * As {@link #start(Collection, String, boolean, long)}; {@code strict} refuses, before running
     * it, a query whose plan has warnings (a field no document has) with UNKNOWN_FIELD.
     */
    public Outcome start(Collection collection, String text, boolean useIndexes, long timeoutNanos, boolean strict) {
        return start(collection, text, useIndexes, timeoutNanos, strict, QueryExecutor.Page.ALL, Long.MAX_VALUE);
    }

    /**
     * As above, for one page: {@code page} says its size when the query has no LIMIT and where a
     * cursor resumes; a first page reaching past {@code maxWindow} hits (OFFSET plus LIMIT) is
     * refused with INVALID_REQUEST pointing at the cursor, which pages without that cost.
     */
    public Outcome start(Collection collection, String text, boolean useIndexes, long timeoutNanos, boolean strict,
                         QueryExecutor.Page page, long maxWindow) {
        return start(collection.name(), collection.snapshot(), text, useIndexes, timeoutNanos, strict, page, maxWindow);
    }

    /**
     * As above, over {@code snapshot} read as collection {@code name} (plans and measured costs are
     * kept under that name): a union of shards ({@link Snapshot#union}) answers as one collection.
     */
    public Outcome start(String name, Snapshot snapshot, String text, boolean useIndexes, long timeoutNanos, boolean strict,
                         QueryExecutor.Page page, long maxWindow) {
        long t0 = System.nanoTime();
        Plan plan = plan(name, snapshot, text, useIndexes);
        List<String> warnings = new java.util.ArrayList<>(plan.warnings());
        warnings.addAll(FieldHints.forFields(page.facets(), plan.schema()));
        if (strict && !warnings.isEmpty()) {
            throw new StrataException(ErrorCode.UNKNOWN_FIELD, String.join("; ", warnings)
                    + " (strict: a field no document has is an error; leave strict out to get a warning instead)");
        }
        Query q = plan.query();
        long size = q.limit().orElse(page.defaultSize());
        long reach = page.after() != null ? size : (size > Long.MAX_VALUE - q.offset() ? Long.MAX_VALUE : q.offset() + size);
        if (reach > maxWindow) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "a page may reach at most " + maxWindow + " hits deep, and this one asks"
                    + " for " + (q.offset() > 0 && page.after() == null ? "LIMIT " + size + " OFFSET " + q.offset() : "LIMIT " + size)
                    + "; page through the hits with the cursor instead: each reply with more hits has a \"next\" cursor,"
                    + " and ?cursor=... returns the page after it");
        }
        long t1 = System.nanoTime();
        long deadline = timeoutNanos > 0 && (this.timeoutNanos <= 0 || timeoutNanos < this.timeoutNanos) ? timeoutNanos : this.timeoutNanos;
        ExecutionContext run = ExecutionContext.of(deadline, memory.newQueryBudget());
        try {
            QueryExecutor.Result r = new QueryExecutor(plan, run, conjuncts, name, page).execute(snapshot);
            return new Outcome(r, plan, t1 - t0, System.nanoTime() - t1, run, warnings);
        } catch (RuntimeException | Error e) {
            run.memory().close();
            throw e;
        }
    }

    /** The (usually cached) plan of {@code text} for a snapshot. */
    public Plan plan(String collection, Snapshot snapshot, String text, boolean useIndexes) {
        PlanCache.Entry e = cache.get(collection, text, parser::parse);
        long generation = tiers.udfGeneration();
        if (generation != plannedGeneration) udfModulesChanged(generation);
        return e.plan(snapshot.schema(), generation, useIndexes,
                q -> Planner.plan(q, text, snapshot.schema(), tiers, useIndexes));
    }

    /** Drops the cached plans once a UDF module changed, so an unloaded version is freed when its last running query ends. */
    public void udfModulesChanged() { udfModulesChanged(tiers.udfGeneration()); }

    private synchronized void udfModulesChanged(long generation) {
        if (generation == plannedGeneration) return;
        cache.dropPlans();
        conjuncts.forgetUdfCalls(); // a new module version may cost and keep something else
        plannedGeneration = generation;
    }

    public PlanCache cache() { return cache; }

    public ConjunctStats conjuncts() { return conjuncts; }

    public TierRegistry tiers() { return tiers; }
}
