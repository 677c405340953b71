package dev.strata.node.http;

import dev.strata.core.value.Value;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small builder for JSON response bodies as {@link Value}s. */
final class JsonOut {
    private final Map<String, Value> fields = new LinkedHashMap<>();

    static JsonOut object() { return new JsonOut(); }

    JsonOut put(String k, String v) { fields.put(k, v == null ? Value.NULL : new Value.StringValue(v)); return this; }

    JsonOut put(String k, long v) { fields.put(k, new Value.IntValue(v)); return this; }

    JsonOut put(String k, double v) { fields.put(k, new Value.FloatValue(v)); return this; }

    JsonOut put(String k, boolean v) { fields.put(k, Value.of(v)); return this; }

    JsonOut put(String k, Value v) { fields.put(k, v); return this; }

    JsonOut put(String k, JsonOut v) { fields.put(k, v.build()); return this; }

    JsonOut putList(String k, List<? extends Value> v) { fields.put(k, new Value.ArrayValue(List.copyOf(v))); return this; }

    Value.ObjectValue build() { return new Value.ObjectValue(fields); }

    static Value millis(long nanos) { return new Value.FloatValue(Math.round(nanos / 1e3) / 1e3); }
}
