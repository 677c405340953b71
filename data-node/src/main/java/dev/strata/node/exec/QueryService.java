package dev.strata.node.exec;

import dev.strata.core.spi.ExecutionContext;
import dev.strata.node.plan.Plan;
import dev.strata.node.plan.PlanCache;
import dev.strata.node.plan.Planner;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Snapshot;
import dev.strata.parser.QueryParser;

/**
 * The query path of a node: parse (cached), plan for the snapshot's schema (cached), execute.
 * Thread-safe; any number of queries run at once, each on the snapshot it started with.
 */
public final class QueryService {
    private final TierRegistry tiers;
    private final QueryParser parser = new QueryParser();
    private final PlanCache cache;
    private final long timeoutNanos;

    public QueryService(TierRegistry tiers, int planCacheSize) { this(tiers, planCacheSize, java.time.Duration.ZERO); }

    /** @param timeout each query's deadline; zero for none */
    public QueryService(TierRegistry tiers, int planCacheSize, java.time.Duration timeout) {
        this.tiers = tiers;
        this.cache = new PlanCache(planCacheSize);
        this.timeoutNanos = timeout.toNanos();
    }

    /** A query's result with its plan and the time spent before execution. */
    public record Outcome(QueryExecutor.Result result, Plan plan, long parseAndPlanNanos, long executeNanos) {}

    /** Runs {@code text} on the collection's current snapshot; {@code useIndexes=false} forces a full scan. */
    public Outcome run(Collection collection, String text, boolean useIndexes) {
        long t0 = System.nanoTime();
        Snapshot snapshot = collection.snapshot();
        Plan plan = plan(collection.name(), snapshot, text, useIndexes);
        long t1 = System.nanoTime();
        ExecutionContext run = timeoutNanos > 0 ? ExecutionContext.withBudget(timeoutNanos) : ExecutionContext.unbounded();
        QueryExecutor.Result r = new QueryExecutor(plan, run).execute(snapshot);
        return new Outcome(r, plan, t1 - t0, System.nanoTime() - t1);
    }

    /** The (usually cached) plan of {@code text} for a snapshot. */
    public Plan plan(String collection, Snapshot snapshot, String text, boolean useIndexes) {
        PlanCache.Entry e = cache.get(collection, text, parser::parse);
        return e.plan(snapshot.schema(), tiers.udfGeneration(), useIndexes,
                q -> Planner.plan(q, text, snapshot.schema(), tiers, useIndexes));
    }

    public PlanCache cache() { return cache; }

    public TierRegistry tiers() { return tiers; }
}
