package dev.strata.node.logging;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The query log (logger {@code strata.query}, every query at INFO when it is on) and the
 * slow-query log (logger {@code strata.slow_query}, at WARN, each query that took at least the
 * threshold). A line carries the query text, its outcome, the plan in one line, how many
 * documents matched and came back, and the time to plan, run and write the reply, as fields.
 */
public final class QueryLog {
    private static final Logger QUERIES = LoggerFactory.getLogger("strata.query");
    private static final Logger SLOW = LoggerFactory.getLogger("strata.slow_query");

    private final boolean all;
    private final long slowNanos;

    /** @param slowThreshold a query at least this slow goes to the slow-query log; zero turns it off */
    public QueryLog(boolean all, Duration slowThreshold) {
        this.all = all;
        this.slowNanos = slowThreshold.toNanos();
    }

    /** What one query did; {@code outcome} is {@code ok} or the error's code. */
    public record Entry(String query, String outcome, String plan, long matched, long returned, long planNanos, long executeNanos,
                        long writeNanos) {
        long totalNanos() { return planNanos + executeNanos + writeNanos; }
    }

    public void log(Entry e) {
        boolean slow = slowNanos > 0 && e.totalNanos() >= slowNanos;
        if (!all && !slow) return;
        if (all) fields(QUERIES.atInfo(), e).log("query");
        if (slow) fields(SLOW.atWarn(), e).addKeyValue("threshold_ms", slowNanos / 1_000_000).log("slow query");
    }

    private static LoggingEventBuilder fields(LoggingEventBuilder b, Entry e) {
        return b.addKeyValue("query", e.query()).addKeyValue("outcome", e.outcome()).addKeyValue("plan", e.plan())
                .addKeyValue("matched", e.matched()).addKeyValue("returned", e.returned())
                .addKeyValue("took_ms", millis(e.totalNanos())).addKeyValue("parse_and_plan_ms", millis(e.planNanos()))
                .addKeyValue("execute_ms", millis(e.executeNanos())).addKeyValue("write_ms", millis(e.writeNanos()));
    }

    private static double millis(long nanos) { return Math.round(nanos / 1e3) / 1e3; }
}
