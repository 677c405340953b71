package dev.strata.core.spi;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.memory.MemoryBudget;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one execution of a query carries down to the tiers: its deadline, its memory budget, and
 * counters that {@code explain}/{@code profile} report per UDF. Made by the executor once per query run, handed
 * to {@link CompiledClause#bind} for each segment. Thread-safe.
 */
public final class ExecutionContext {
    private final long deadlineNanos;
    private final long budgetNanos;
    private final MemoryBudget memory;
    private final Map<String, UdfStats> udfStats = new ConcurrentHashMap<>();
    private final Map<UdfFunction, Map<Object, Object>> deterministicResults = new ConcurrentHashMap<>();

    private ExecutionContext(long deadlineNanos, long budgetNanos, MemoryBudget memory) {
        this.deadlineNanos = deadlineNanos;
        this.budgetNanos = budgetNanos;
        this.memory = memory;
    }

    /** No deadline and no memory limit: for tests, benchmarks and constant folding. */
    public static ExecutionContext unbounded() { return new ExecutionContext(Long.MAX_VALUE, Long.MAX_VALUE, MemoryBudget.unlimited()); }

    /** A run that must finish within {@code budgetNanos} from now ({@link System#nanoTime()} clock), with no memory limit. */
    public static ExecutionContext withBudget(long budgetNanos) { return of(budgetNanos, MemoryBudget.unlimited()); }

    /**
     * A run with a deadline {@code budgetNanos} from now (zero or less: none) and a memory budget,
     * which the caller closes when the run's results are consumed.
     */
    public static ExecutionContext of(long budgetNanos, MemoryBudget memory) {
        if (budgetNanos <= 0) return new ExecutionContext(Long.MAX_VALUE, Long.MAX_VALUE, memory);
        long now = System.nanoTime();
        long deadline = now + budgetNanos < now ? Long.MAX_VALUE : now + budgetNanos;
        return new ExecutionContext(deadline, budgetNanos, memory);
    }

    /** What this run may hold of the heap; tiers reserve their big results here. */
    public MemoryBudget memory() { return memory; }

    public boolean hasDeadline() { return deadlineNanos != Long.MAX_VALUE; }

    /** The deadline on the {@link System#nanoTime()} clock; {@link Long#MAX_VALUE} when there is none. */
    public long deadlineNanos() { return deadlineNanos; }

    /** The budget this run was given, for messages ("deadline of 2000 ms"). */
    public long budgetNanos() { return budgetNanos; }

    /**
     * The results of a {@link UdfFunction#deterministic() deterministic} function during this run,
     * by argument key: a later batch or segment that meets the same arguments takes the result from
     * here instead of calling again. The function object stands for its module version (a plan
     * resolves it once, so a module replaced in between is a different object). Whoever adds an
     * entry accounts it against {@link #memory()}. Thread-safe.
     */
    public Map<Object, Object> deterministicResults(UdfFunction function) {
        return deterministicResults.computeIfAbsent(function, f -> new ConcurrentHashMap<>());
    }

    /** Fails with DEADLINE_EXCEEDED when the run is past its deadline; {@code where} says what it was doing. Cheap. */
    public void checkDeadline(String where) {
        if (hasDeadline() && remainingNanos() < 0) deadlineExceeded(where);
    }

    /** Throws the run's DEADLINE_EXCEEDED error: "the query ran past its deadline of N ms and was stopped WHERE". */
    public void deadlineExceeded(String where) {
        throw new StrataException(ErrorCode.DEADLINE_EXCEEDED, "the query ran past its deadline of " + budgetNanos / 1_000_000
                + " ms and was stopped" + (where == null || where.isEmpty() ? "" : " " + where));
    }

    /** Nanoseconds left before the deadline (negative when passed). */
    public long remainingNanos() {
        return hasDeadline() ? deadlineNanos - System.nanoTime() : Long.MAX_VALUE;
    }

    /** The counters of one UDF in this run, created on first use. Called once per batch. */
    public UdfStats udfStats(String tier, String qualifiedName) {
        return udfStats.computeIfAbsent(tier + "('" + qualifiedName + "')", k -> new UdfStats(tier, qualifiedName));
    }

    /** Every UDF that ran, keyed by {@code tier('module.function')}. */
    public Map<String, UdfStats> udfStats() { return Map.copyOf(udfStats); }
}
