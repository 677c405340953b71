package dev.strata.core.value;

import java.util.List;
import java.util.Map;

/** An immutable JSON-plus value: null, bool, int64, float64, string, date, timestamp, array or object. */
public sealed interface Value extends java.io.Serializable {
    ValueKind kind();

    Value NULL = new NullValue();
    Value TRUE = new BoolValue(true);
    Value FALSE = new BoolValue(false);

    static Value of(boolean b) { return b ? TRUE : FALSE; }

    static Value of(long v) { return new IntValue(v); }

    static Value of(double v) { return new FloatValue(v); }

    static Value of(String v) { return new StringValue(v); }

    /**
     * A plain Java value as a Value: null, String, Boolean, Integer, Long, Double, a Map (keys
     * by their string form, order kept) or a List of these; anything else by its string form.
     */
    static Value fromJava(Object x) {
        return switch (x) {
            case null -> NULL;
            case String s -> of(s);
            case Boolean b -> of(b);
            case Integer n -> of((long) n);
            case Long n -> of(n);
            case Double d -> of(d);
            case Map<?, ?> m -> {
                Map<String, Value> fields = new java.util.LinkedHashMap<>();
                m.forEach((k, v) -> fields.put(String.valueOf(k), fromJava(v)));
                yield new ObjectValue(fields);
            }
            case List<?> l -> new ArrayValue(l.stream().map(Value::fromJava).toList());
            default -> of(String.valueOf(x));
        };
    }

    /** The JSON null. */
    record NullValue() implements Value {
        public ValueKind kind() { return ValueKind.NULL; }
    }

    record BoolValue(boolean value) implements Value {
        public ValueKind kind() { return ValueKind.BOOL; }
    }

    /** A 64-bit signed integer. */
    record IntValue(long value) implements Value {
        public ValueKind kind() { return ValueKind.INT; }
    }

    /** A 64-bit float; never NaN or infinite when it comes from JSON or a literal. */
    record FloatValue(double value) implements Value {
        public ValueKind kind() { return ValueKind.FLOAT; }

        /** -0.0 equals 0.0, as in SQL; {@code Double.equals} would tell them apart. */
        @Override
        public boolean equals(Object o) { return o instanceof FloatValue f && f.value == value; }

        @Override
        public int hashCode() { return Double.hashCode(value == 0.0 ? 0.0 : value); }
    }

    record StringValue(String value) implements Value {
        public StringValue {
            java.util.Objects.requireNonNull(value, "value");
        }

        public ValueKind kind() { return ValueKind.STRING; }
    }

    /** A calendar date, as days since 1970-01-01. */
    record DateValue(int epochDay) implements Value {
        public ValueKind kind() { return ValueKind.DATE; }
    }

    /** An instant, as microseconds since 1970-01-01T00:00:00Z. */
    record TimestampValue(long epochMicros) implements Value {
        public ValueKind kind() { return ValueKind.TIMESTAMP; }
    }

    record ArrayValue(List<Value> elements) implements Value {
        public ArrayValue {
            elements = List.copyOf(elements);
        }

        public ValueKind kind() { return ValueKind.ARRAY; }
    }

    /** An object; keys keep their insertion order. */
    record ObjectValue(Map<String, Value> fields) implements Value {
        public ObjectValue {
            fields = java.util.Collections.unmodifiableMap(fields instanceof Json.Fields ? fields : new java.util.LinkedHashMap<>(fields));
        }

        public ValueKind kind() { return ValueKind.OBJECT; }

        /** The value under {@code key}, or null when the key is absent (missing, not JSON null). */
        public Value get(String key) { return fields.get(key); }
    }
}
