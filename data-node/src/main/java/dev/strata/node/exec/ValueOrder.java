package dev.strata.node.exec;

import dev.strata.core.value.CodePoints;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;

/**
 * ORDER BY's order on values, for rows made of values (groups, facet buckets): numbers by value
 * (ints exactly, {@code 1 = 1.0}), strings by code point, other values of one kind by value, values
 * of different kinds by kind (bool, number, string, date, timestamp); null sorts after everything.
 */
final class ValueOrder {
    private ValueOrder() {}

    /** Compares two non-null-aware values; null (or {@code Value.NULL}) is greatest. */
    static int compare(Value a, Value b) {
        boolean an = a == null || a instanceof Value.NullValue;
        boolean bn = b == null || b instanceof Value.NullValue;
        if (an || bn) return an == bn ? 0 : an ? 1 : -1;
        if (a instanceof Value.IntValue x && b instanceof Value.IntValue y) return Long.compare(x.value(), y.value());
        if (number(a) && number(b)) return Double.compare(asDouble(a) + 0.0, asDouble(b) + 0.0);
        if (a instanceof Value.StringValue x && b instanceof Value.StringValue y) return CodePoints.compare(x.value(), y.value());
        if (a.kind() != b.kind()) return Integer.compare(rank(a.kind()), rank(b.kind()));
        return switch (a) {
            case Value.BoolValue x -> Boolean.compare(x.value(), ((Value.BoolValue) b).value());
            case Value.DateValue x -> Integer.compare(x.epochDay(), ((Value.DateValue) b).epochDay());
            case Value.TimestampValue x -> Long.compare(x.epochMicros(), ((Value.TimestampValue) b).epochMicros());
            default -> 0;
        };
    }

    /** As {@link #compare}, reversed for a descending key, but null still last. */
    static int compare(Value a, Value b, boolean descending) {
        boolean an = a == null || a instanceof Value.NullValue;
        boolean bn = b == null || b instanceof Value.NullValue;
        if (an || bn) return an == bn ? 0 : an ? 1 : -1;
        int c = compare(a, b);
        return descending ? -c : c;
    }

    private static int rank(ValueKind k) { return k == ValueKind.FLOAT ? ValueKind.INT.ordinal() : k.ordinal(); }

    static boolean number(Value v) { return v instanceof Value.IntValue || v instanceof Value.FloatValue; }

    static double asDouble(Value v) {
        return v instanceof Value.IntValue i ? i.value() : ((Value.FloatValue) v).value();
    }

    /**
     * The value a group or a distinct count keeps: an integral float as the int it equals (so
     * {@code 1} and {@code 1.0} are one group, and {@code -0.0} is {@code 0}); other values as they are.
     */
    static Value canonical(Value v) {
        if (v instanceof Value.FloatValue f) {
            double d = f.value();
            if (d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63) return Value.of((long) d);
        }
        return v;
    }
}
