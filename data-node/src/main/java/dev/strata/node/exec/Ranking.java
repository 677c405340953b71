package dev.strata.node.exec;

import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.value.CodePoints;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.Comparator;
import java.util.List;

/**
 * How matches are ranked: by score, by sort keys (nulls last in either direction, values of
 * different kinds by kind), ties by position; and the unboxed fast path for a plain numeric first
 * sort key, which lets the top-k heap skip documents that cannot make the page.
 */
final class Ranking {
    private Ranking() {}

    /** The column of a plain numeric single-valued sort key, or null when the general path is needed. */
    static FieldColumn fastKeyColumn(Expr key, Segment s) {
        if (!(key instanceof Expr.Field f) || !f.path().isKeysOnly()) return null;
        FieldColumn c = s.column(f.path());
        if (c == null || !c.isSingleValued()) return null;
        for (ValueKind k : c.kinds()) if (k != ValueKind.INT && k != ValueKind.FLOAT && k != ValueKind.NULL) return null;
        return c;
    }

    static void readFast(FieldColumn c, int[] docs, int count, double[] out, boolean[] isNull) {
        for (int i = 0; i < count; i++) {
            int d = docs[i];
            if (c.hasKind(ValueKind.INT, d)) {
                out[i] = c.longAt(d);
                isNull[i] = false;
            } else if (c.hasKind(ValueKind.FLOAT, d)) {
                out[i] = c.doubleAt(d) + 0.0;
                isNull[i] = false;
            } else {
                isNull[i] = true;
            }
        }
    }

    /** A set score: a number (or a bool as 0/1); anything else, null included, is no score, kept as NaN (it sorts last). */
    static double asScore(Value v) {
        return switch (v) {
            case Value.FloatValue f -> Double.isFinite(f.value()) ? f.value() : Double.NaN;
            case Value.IntValue i -> i.value();
            case Value.BoolValue b -> b.value() ? 1 : 0;
            default -> Double.NaN;
        };
    }

    /** Best score first; a document without a score (NaN) last, as nulls sort last everywhere. */
    static int compareScores(double a, double b) {
        boolean aNone = Double.isNaN(a);
        boolean bNone = Double.isNaN(b);
        if (aNone || bNone) return aNone == bNone ? 0 : aNone ? 1 : -1;
        return Double.compare(b + 0.0, a + 0.0);
    }

    static Comparator<Match> positionOrder() {
        return Comparator.comparingInt(Match::segment).thenComparingInt(Match::doc);
    }

    static Comparator<Match> rankOrder(Query q) {
        List<Query.OrderKey> keys = q.orderBy();
        Comparator<Match> c;
        if (keys.isEmpty()) {
            c = (a, b) -> compareScores(a.score(), b.score());
        } else {
            c = (a, b) -> {
                for (int k = 0; k < keys.size(); k++) {
                    int r = compareForSort(a.keys()[k], b.keys()[k], keys.get(k).descending());
                    if (r != 0) return r;
                }
                return 0;
            };
        }
        return c.thenComparing(positionOrder());
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

    static boolean isNumber(Value v) { return v instanceof Value.IntValue || v instanceof Value.FloatValue; }

    static double number(Value v) {
        return v instanceof Value.IntValue i ? i.value() : ((Value.FloatValue) v).value() + 0.0;
    }

    static long payload(Value v) {
        return switch (v) {
            case Value.BoolValue b -> b.value() ? 1 : 0;
            case Value.DateValue d -> d.epochDay();
            case Value.TimestampValue t -> t.epochMicros();
            default -> 0;
        };
    }
}
