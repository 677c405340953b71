package dev.strata.node.api;

import dev.strata.core.value.Value;
import dev.strata.node.exec.ExecutionReport;
import dev.strata.node.exec.QueryService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A query's profile as the API shows it: where its time went (planning, the index, each tier,
 * ranking, aggregation, fetching), each UDF's calls, and the query's one budget (deadline and
 * memory) with each part's share of the deadline. Built where the query ran, so a cluster member
 * builds its own and the asked member shows each.
 */
public final class ProfileReply {
    private ProfileReply() {}

    public static Value.ObjectValue of(QueryService.Outcome o, ExecutionReport r) {
        Map<String, Long> byTier = new TreeMap<>();
        for (ExecutionReport.StageReport s : r.stages()) byTier.merge(s.tier(), s.nanos(), Long::sum); // stages of one tier add up
        Map<String, Value> tiers = new LinkedHashMap<>();
        byTier.forEach((tier, ns) -> tiers.put(tier, millis(ns)));
        Map<String, Value> out = new LinkedHashMap<>();
        out.put("parse_and_plan_ms", millis(o.parseAndPlanNanos()));
        out.put("index_ms", millis(r.indexNanos()));
        out.put("tiers_ms", new Value.ObjectValue(tiers));
        out.put("rank_ms", millis(r.rankNanos()));
        out.put("aggregate_ms", millis(r.aggregateNanos()));
        out.put("fetch_ms", millis(r.fetchNanos()));
        out.put("execute_ms", millis(o.executeNanos()));
        out.put("udfs", new Value.ArrayValue(udfs(r)));
        out.put("budget", budget(o, r, byTier));
        return new Value.ObjectValue(out);
    }

    /** Per UDF: guest calls, documents evaluated, documents answered by reuse (deterministic), time inside it and traps. */
    private static List<Value> udfs(ExecutionReport r) {
        List<Value> out = new ArrayList<>();
        for (ExecutionReport.UdfReport u : r.udfs()) out.add(ExplainReply.Udf.of(u).toJson());
        return out;
    }

    /** The query's one budget, shared by every tier: its deadline and memory limit, what the run used of each, and each part's share of the deadline. */
    private static Value budget(QueryService.Outcome o, ExecutionReport r, Map<String, Long> byTier) {
        var run = o.run();
        long deadline = run.hasDeadline() ? run.budgetNanos() : 0;
        Map<String, Value> shares = new LinkedHashMap<>();
        if (deadline > 0) {
            shares.put("parse_and_plan", share(o.parseAndPlanNanos(), deadline));
            shares.put("index", share(r.indexNanos(), deadline));
            byTier.forEach((tier, ns) -> shares.put(tier, share(ns, deadline)));
            shares.put("rank", share(r.rankNanos(), deadline));
            shares.put("aggregate", share(r.aggregateNanos(), deadline));
            shares.put("fetch", share(r.fetchNanos(), deadline));
        }
        Map<String, Value> b = new LinkedHashMap<>();
        b.put("deadline_ms", deadline > 0 ? Value.of(deadline / 1_000_000) : Value.NULL);
        b.put("used_ms", millis(o.parseAndPlanNanos() + o.executeNanos()));
        b.put("memory_limit_bytes", Value.of(run.memory().limitBytes()));
        b.put("memory_peak_bytes", Value.of(run.memory().peakBytes()));
        b.put("deadline_shares", new Value.ObjectValue(shares));
        return new Value.ObjectValue(b);
    }

    private static Value millis(long nanos) { return new Value.FloatValue(Math.round(nanos / 1e3) / 1e3); }

    /** {@code nanos} as a share of {@code of}, rounded to 4 decimals. */
    private static Value share(long nanos, long of) { return new Value.FloatValue(Math.round(nanos * 10_000.0 / of) / 10_000.0); }
}
