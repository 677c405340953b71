package dev.strata.node.exec;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.Schema;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.CompiledClause;
import dev.strata.core.spi.SegmentFilter;
import dev.strata.core.value.CodePoints;
import dev.strata.core.value.Value;
import dev.strata.expr.ExpressionCompiler;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs a parsed query over segments: the filter in batches through the expression tier, then the
 * score, the sort and the page. The planner of DESIGN.md (indexes, clause routing by cost) comes
 * with the data node; until then the whole filter is one clause for the expression tier.
 */
public final class QueryExecutor {
    private static final int BATCH = SegmentFilter.MAX_BATCH;

    private final TierRegistry tiers;

    public QueryExecutor(TierRegistry tiers) { this.tiers = tiers; }

    /** One matching document. */
    public record Hit(String id, double score, Value.ObjectValue source) {}

    /** The page of hits and how many documents matched in all. */
    public record Result(long total, List<Hit> hits) {}

    private record Match(Segment segment, int doc, double score, Value[] keys) {}

    public Result execute(Query q, String text, List<Segment> segments) {
        Schema schema = Schema.union(segments.stream().map(Segment::schema).toList());
        CompileContext ctx = new CompileContext(text, schema, tiers);
        CompiledClause filter = q.filter() == null ? null : tiers.require("expression").compile(q.filter(), ctx);
        ExpressionCompiler.CompiledValue score = q.score() == null ? null : ExpressionCompiler.compileValue(q.score(), ctx, false);
        List<ExpressionCompiler.CompiledValue> keys = new ArrayList<>();
        for (Query.OrderKey k : q.orderBy()) keys.add(ExpressionCompiler.compileValue(k.expr(), ctx, true));

        List<Match> matches = new ArrayList<>();
        int[] docs = new int[BATCH];
        double[] scores = new double[BATCH];
        Value[] values = new Value[BATCH];
        for (Segment s : segments) {
            SegmentFilter f = filter == null ? null : filter.bind(s);
            ExpressionCompiler.BoundValue boundScore = score == null ? null : score.bind(s);
            List<ExpressionCompiler.BoundValue> boundKeys = keys.stream().map(k -> k.bind(s)).toList();
            for (int start = 0; start < s.docCount(); start += BATCH) {
                int n = Math.min(BATCH, s.docCount() - start);
                for (int i = 0; i < n; i++) docs[i] = start + i;
                int kept = f == null ? n : f.filter(docs, n);
                java.util.Arrays.fill(scores, 0, kept, 1.0);
                if (boundScore != null) {
                    boundScore.evaluate(docs, kept, null, values);
                    for (int i = 0; i < kept; i++) scores[i] = asScore(values[i]);
                }
                Value[][] sortKeys = new Value[kept][boundKeys.size()];
                for (int k = 0; k < boundKeys.size(); k++) {
                    boundKeys.get(k).evaluate(docs, kept, scores, values);
                    for (int i = 0; i < kept; i++) sortKeys[i][k] = values[i];
                }
                for (int i = 0; i < kept; i++) matches.add(new Match(s, docs[i], scores[i], sortKeys[i]));
            }
        }
        if (!q.orderBy().isEmpty()) {
            matches.sort(order(q.orderBy()));
        } else if (q.score() != null) {
            matches.sort(Comparator.comparingDouble((Match m) -> m.score()).reversed());
        }
        long from = Math.min(q.offset(), matches.size());
        long to = Math.min(matches.size(), from + q.limit().orElse(Long.MAX_VALUE - from));
        List<Hit> hits = new ArrayList<>();
        for (Match m : matches.subList((int) from, (int) to)) {
            hits.add(new Hit(m.segment().id(m.doc()), m.score(), m.segment().source(m.doc())));
        }
        return new Result(matches.size(), hits);
    }

    private static double asScore(Value v) {
        return switch (v) {
            case Value.FloatValue f -> f.value();
            case Value.IntValue i -> i.value();
            case Value.BoolValue b -> b.value() ? 1 : 0;
            default -> 0.0;
        };
    }

    private static Comparator<Match> order(List<Query.OrderKey> keys) {
        return (a, b) -> {
            for (int k = 0; k < keys.size(); k++) {
                int c = compareForSort(a.keys()[k], b.keys()[k], keys.get(k).descending());
                if (c != 0) return c;
            }
            return 0;
        };
    }

    /** Nulls and missing values sort last in either direction; values of different kinds by kind. */
    static int compareForSort(Value x, Value y, boolean descending) {
        boolean xNull = x == null || x instanceof Value.NullValue;
        boolean yNull = y == null || y instanceof Value.NullValue;
        if (xNull || yNull) return xNull == yNull ? 0 : xNull ? 1 : -1;
        int c;
        if (x instanceof Value.StringValue s && y instanceof Value.StringValue t) {
            c = CodePoints.compare(s.value(), t.value());
        } else if (isNumber(x) && isNumber(y)) {
            c = Double.compare(number(x) + 0.0, number(y) + 0.0);
        } else if (x.kind() == y.kind()) {
            c = Long.compare(payload(x), payload(y));
        } else {
            c = Integer.compare(x.kind().ordinal(), y.kind().ordinal());
        }
        return descending ? -c : c;
    }

    private static boolean isNumber(Value v) { return v instanceof Value.IntValue || v instanceof Value.FloatValue; }

    private static double number(Value v) {
        return v instanceof Value.IntValue i ? i.value() : ((Value.FloatValue) v).value();
    }

    private static long payload(Value v) {
        return switch (v) {
            case Value.BoolValue b -> b.value() ? 1 : 0;
            case Value.DateValue d -> d.epochDay();
            case Value.TimestampValue t -> t.epochMicros();
            default -> 0;
        };
    }
}
