package dev.strata.core.spi;

import dev.strata.core.value.CodePoints;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.Arrays;

/**
 * A column of sort keys, typed per row, so ranking compares primitives and boxes nothing per row.
 * Row {@code i} is null or missing when {@code kinds[i]} is null; a number ({@code INT}, {@code
 * FLOAT}) is in {@code numbers[i]}, an INT also exactly in {@code payloads[i]}; a {@code BOOL}
 * (0/1), {@code DATE} (epoch day) or {@code TIMESTAMP} (epoch micros) in {@code payloads[i]}; a
 * {@code STRING} in {@code strings[i]}. Filled by {@link CompiledValue.Bound#evaluateKeys}, owned by
 * one thread.
 *
 * <p>The order ({@link #compare}): null and missing last in either direction; numbers by value
 * (ints exactly); strings by code point; other values of one kind by payload; values of different
 * kinds by kind.
 */
public final class SortKeys {
    public ValueKind[] kinds = new ValueKind[0];
    public double[] numbers = new double[0];
    public long[] payloads = new long[0];
    public String[] strings = new String[0];

    /** Makes room for rows {@code [0, n)}, keeping the rows already set. */
    public void ensure(int n) {
        if (kinds.length >= n) return;
        int size = Math.max(n, kinds.length * 2);
        kinds = Arrays.copyOf(kinds, size);
        numbers = Arrays.copyOf(numbers, size);
        payloads = Arrays.copyOf(payloads, size);
        strings = Arrays.copyOf(strings, size);
    }

    public void setNull(int i) {
        kinds[i] = null;
        strings[i] = null;
    }

    public void setInt(int i, long v) {
        kinds[i] = ValueKind.INT;
        numbers[i] = v;
        payloads[i] = v;
        strings[i] = null;
    }

    public void setFloat(int i, double v) {
        kinds[i] = ValueKind.FLOAT;
        numbers[i] = v + 0.0; // -0.0 sorts as 0.0
        strings[i] = null;
    }

    /** A BOOL (0/1), DATE or TIMESTAMP. */
    public void setPayload(int i, ValueKind kind, long v) {
        kinds[i] = kind;
        payloads[i] = v;
        strings[i] = null;
    }

    public void setString(int i, String s) {
        if (s == null) {
            setNull(i);
            return;
        }
        kinds[i] = ValueKind.STRING;
        strings[i] = s;
    }

    /** Copies row {@code j} of {@code from} into row {@code i}. */
    public void copy(int i, SortKeys from, int j) {
        kinds[i] = from.kinds[j];
        numbers[i] = from.numbers[j];
        payloads[i] = from.payloads[j];
        strings[i] = from.strings[j];
    }

    /** Row {@code i} as a value, for replies and messages (never per row in a scan). */
    public Value value(int i) {
        ValueKind k = kinds[i];
        if (k == null) return Value.NULL;
        return switch (k) {
            case INT -> Value.of(payloads[i]);
            case FLOAT -> Value.of(numbers[i]);
            case BOOL -> Value.of(payloads[i] != 0);
            case DATE -> new Value.DateValue((int) payloads[i]);
            case TIMESTAMP -> new Value.TimestampValue(payloads[i]);
            case STRING -> Value.of(strings[i]);
            default -> Value.NULL;
        };
    }

    /** Compares row {@code i} of {@code a} with row {@code j} of {@code b} for a key sorted {@code descending} or not. */
    public static int compare(SortKeys a, int i, SortKeys b, int j, boolean descending) {
        ValueKind x = a.kinds[i];
        ValueKind y = b.kinds[j];
        if (x == null || y == null) return x == y ? 0 : x == null ? 1 : -1; // nulls last in either direction
        int c;
        if (x == ValueKind.STRING && y == ValueKind.STRING) {
            c = CodePoints.compare(a.strings[i], b.strings[j]);
        } else if (x == ValueKind.INT && y == ValueKind.INT) {
            c = Long.compare(a.payloads[i], b.payloads[j]);
        } else if (isNumber(x) && isNumber(y)) {
            c = Double.compare(a.numbers[i], b.numbers[j]);
        } else if (x == y) {
            c = Long.compare(a.payloads[i], b.payloads[j]);
        } else {
            c = Integer.compare(x.ordinal(), y.ordinal());
        }
        return descending ? -c : c;
    }

    private static boolean isNumber(ValueKind k) { return k == ValueKind.INT || k == ValueKind.FLOAT; }
}
