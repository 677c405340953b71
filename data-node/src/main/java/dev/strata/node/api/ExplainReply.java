package dev.strata.node.api;

import dev.strata.core.value.Value;
import dev.strata.node.exec.ExecutionReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code explain} member of a query reply, typed: the HTTP API writes it with {@link #toJson}
 * and the CLI reads it back with {@link #fromJson}, so both sides share one shape instead of the
 * CLI casting maps. Absent numbers (a stage that saw no rows, a conjunct never measured) are null.
 */
public record ExplainReply(long segments, long documents, long candidates, List<Clause> clauses, long matched, List<Udf> udfs) {
    public ExplainReply {
        clauses = List.copyOf(clauses);
        udfs = List.copyOf(udfs);
    }

    /**
     * One conjunct: the index's (tier "index", {@code position} null) or a stage's, with its position
     * in this run, the rows it got, estimated and actual rows kept, cost per row (static, measured
     * before this run, this run's) and selectivity (estimated, actual).
     */
    public record Clause(String tier, String clause, String index, Long position, Long input, long estimated, long actual,
                         Double staticCost, Double measuredCost, Double thisRunCost, Double estimatedSelectivity,
                         Double actualSelectivity) {}

    /** One UDF: guest calls, documents it evaluated, documents answered by reuse, time, traps. */
    public record Udf(String tier, String function, long calls, long documents, long reused, double ms, long traps) {
        /** One run's report for a UDF, its time in milliseconds to the microsecond. */
        public static Udf of(ExecutionReport.UdfReport u) {
            return new Udf(u.tier(), u.function(), u.calls(), u.rows(), u.reused(), Math.round(u.nanos() / 1e3) / 1e3, u.traps());
        }

        /** As explain and profile replies write it. */
        public Value.ObjectValue toJson() {
            Map<String, Value> o = new LinkedHashMap<>();
            o.put("tier", Value.of(tier));
            o.put("function", Value.of(function));
            o.put("calls", Value.of(calls));
            o.put("documents", Value.of(documents));
            o.put("reused", Value.of(reused));
            o.put("ms", Value.of(ms));
            o.put("traps", Value.of(traps));
            return new Value.ObjectValue(o);
        }
    }

    /** The reply for one run's report. */
    public static ExplainReply of(ExecutionReport r) {
        List<Clause> clauses = new ArrayList<>();
        if (r.index() != null) {
            clauses.add(new Clause("index", String.join(" AND ", r.indexedClauses()), r.index(), null, null, r.indexEstimated(),
                    r.candidates(), null, null, null, null, null));
        }
        for (ExecutionReport.StageReport s : r.stages()) {
            boolean ran = s.docsIn() > 0;
            clauses.add(new Clause(s.tier(), s.clause(), null, (long) s.position(), s.docsIn(), s.estimatedOut(), s.docsOut(),
                    round(s.staticNanosPerRow()), Double.isNaN(s.measuredNanosPerRow()) ? null : round(s.measuredNanosPerRow()),
                    ran ? round(s.nanos() / (double) s.docsIn()) : null, round(s.estimatedSelectivity()),
                    ran ? round(s.docsOut() / (double) s.docsIn()) : null));
        }
        List<Udf> udfs = new ArrayList<>();
        for (ExecutionReport.UdfReport u : r.udfs()) udfs.add(Udf.of(u));
        return new ExplainReply(r.segments(), r.liveDocs(), r.candidates(), clauses, r.matched(), udfs);
    }

    public Value.ObjectValue toJson() {
        List<Value> cs = new ArrayList<>();
        for (Clause c : clauses) {
            Map<String, Value> o = new LinkedHashMap<>();
            o.put("tier", Value.of(c.tier()));
            o.put("clause", Value.of(c.clause()));
            o.put("index", c.index() == null ? Value.NULL : Value.of(c.index()));
            if (c.position() != null) {
                o.put("position", Value.of(c.position()));
                o.put("input", Value.of(c.input()));
            }
            o.put("estimated", Value.of(c.estimated()));
            o.put("actual", Value.of(c.actual()));
            if (c.position() != null) {
                o.put("cost_ns_per_row", object("static", number(c.staticCost()), "measured", number(c.measuredCost()),
                        "this_run", number(c.thisRunCost())));
                o.put("selectivity", object("estimated", number(c.estimatedSelectivity()), "actual", number(c.actualSelectivity())));
            }
            cs.add(new Value.ObjectValue(o));
        }
        List<Value> us = new ArrayList<>();
        for (Udf u : udfs) us.add(u.toJson());
        Map<String, Value> out = new LinkedHashMap<>();
        out.put("segments", Value.of(segments));
        out.put("documents", Value.of(documents));
        out.put("candidates", Value.of(candidates));
        out.put("clauses", new Value.ArrayValue(cs));
        out.put("matched", Value.of(matched));
        out.put("udfs", new Value.ArrayValue(us));
        return new Value.ObjectValue(out);
    }

    /** Reads what {@link #toJson} wrote (a reply from a node of this version). */
    public static ExplainReply fromJson(Value.ObjectValue e) {
        List<Clause> clauses = new ArrayList<>();
        for (Value v : ((Value.ArrayValue) e.get("clauses")).elements()) {
            Value.ObjectValue o = (Value.ObjectValue) v;
            Value.ObjectValue cost = o.get("cost_ns_per_row") instanceof Value.ObjectValue x ? x : null;
            Value.ObjectValue sel = o.get("selectivity") instanceof Value.ObjectValue x ? x : null;
            clauses.add(new Clause(string(o.get("tier")), string(o.get("clause")), string(o.get("index")), integer(o.get("position")),
                    integer(o.get("input")), integer(o.get("estimated")), integer(o.get("actual")),
                    cost == null ? null : decimal(cost.get("static")), cost == null ? null : decimal(cost.get("measured")),
                    cost == null ? null : decimal(cost.get("this_run")), sel == null ? null : decimal(sel.get("estimated")),
                    sel == null ? null : decimal(sel.get("actual"))));
        }
        List<Udf> udfs = new ArrayList<>();
        for (Value v : ((Value.ArrayValue) e.get("udfs")).elements()) {
            Value.ObjectValue o = (Value.ObjectValue) v;
            Long reused = integer(o.get("reused"));
            udfs.add(new Udf(string(o.get("tier")), string(o.get("function")), integer(o.get("calls")), integer(o.get("documents")),
                    reused == null ? 0 : reused, decimal(o.get("ms")), integer(o.get("traps"))));
        }
        return new ExplainReply(integer(e.get("segments")), integer(e.get("documents")), integer(e.get("candidates")), clauses,
                integer(e.get("matched")), udfs);
    }

    /** Three significant decimals are plenty for costs and shares. */
    private static double round(double x) { return Math.round(x * 1000) / 1000.0; }

    private static Value number(Double d) { return d == null ? Value.NULL : Value.of(d); }

    private static Value.ObjectValue object(String k1, Value v1, String k2, Value v2) {
        Map<String, Value> o = new LinkedHashMap<>();
        o.put(k1, v1);
        o.put(k2, v2);
        return new Value.ObjectValue(o);
    }

    private static Value.ObjectValue object(String k1, Value v1, String k2, Value v2, String k3, Value v3) {
        Map<String, Value> o = new LinkedHashMap<>(object(k1, v1, k2, v2).fields());
        o.put(k3, v3);
        return new Value.ObjectValue(o);
    }

    private static String string(Value v) { return v instanceof Value.StringValue s ? s.value() : null; }

    private static Long integer(Value v) {
        return switch (v) {
            case Value.IntValue i -> i.value();
            case Value.FloatValue f -> (long) f.value();
            case null, default -> null;
        };
    }

    private static Double decimal(Value v) {
        return switch (v) {
            case Value.FloatValue f -> f.value();
            case Value.IntValue i -> (double) i.value();
            case null, default -> null;
        };
    }
}
