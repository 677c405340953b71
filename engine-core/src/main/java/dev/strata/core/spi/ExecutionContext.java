package dev.strata.core.spi;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one execution of a query carries down to the tiers: its deadline, and counters that
 * {@code explain}/{@code profile} report per UDF. Made by the executor once per query run, handed
 * to {@link CompiledClause#bind} for each segment. Thread-safe.
 */
public final class ExecutionContext {
    private final long deadlineNanos;
    private final long budgetNanos;
    private final Map<String, UdfStats> udfStats = new ConcurrentHashMap<>();

    private ExecutionContext(long deadlineNanos, long budgetNanos) {
        this.deadlineNanos = deadlineNanos;
        this.budgetNanos = budgetNanos;
    }

    /** No deadline: for tests, benchmarks and constant folding. */
    public static ExecutionContext unbounded() { return new ExecutionContext(Long.MAX_VALUE, Long.MAX_VALUE); }

    /** A run that must finish within {@code budgetNanos} from now ({@link System#nanoTime()} clock). */
    public static ExecutionContext withBudget(long budgetNanos) {
        if (budgetNanos <= 0) throw new IllegalArgumentException("budget must be positive: " + budgetNanos);
        long now = System.nanoTime();
        long deadline = now + budgetNanos < now ? Long.MAX_VALUE : now + budgetNanos;
        return new ExecutionContext(deadline, budgetNanos);
    }

    public boolean hasDeadline() { return deadlineNanos != Long.MAX_VALUE; }

    /** The deadline on the {@link System#nanoTime()} clock; {@link Long#MAX_VALUE} when there is none. */
    public long deadlineNanos() { return deadlineNanos; }

    /** The budget this run was given, for messages ("deadline of 2000 ms"). */
    public long budgetNanos() { return budgetNanos; }

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
