package dev.strata.node.api;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.exec.ResumeAfter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code next} cursor of a query reply: the query text and where its page ended, as URL-safe
 * base64 of a small JSON object. It holds no server state, so it never expires; the page after it
 * is computed again from the current documents (see {@link ResumeAfter} for what that guarantees).
 */
public record Cursor(String query, ResumeAfter after) {
    private static final int VERSION = 1;

    public String encode() {
        Map<String, Value> o = new LinkedHashMap<>();
        o.put("v", Value.of(VERSION));
        o.put("q", Value.of(query));
        o.put("keys", new Value.ArrayValue(new ArrayList<>(after.keys().stream().map(Cursor::tagged).toList())));
        o.put("score", Double.isNaN(after.score()) ? Value.NULL : Value.of(after.score()));
        o.put("id", Value.of(after.id()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(new Value.ObjectValue(o)).getBytes(StandardCharsets.UTF_8));
    }

    /** Reads a cursor; anything that is not one this node wrote is INVALID_REQUEST. */
    public static Cursor decode(String token) {
        try {
            Value v = Json.parse(new String(Base64.getUrlDecoder().decode(token.strip()), StandardCharsets.UTF_8));
            if (v instanceof Value.ObjectValue o && o.get("v") instanceof Value.IntValue version && version.value() == VERSION
                    && o.get("q") instanceof Value.StringValue q && o.get("keys") instanceof Value.ArrayValue keys
                    && o.get("id") instanceof Value.StringValue id) {
                List<Value> values = new ArrayList<>();
                for (Value k : keys.elements()) values.add(untagged(k));
                double score = o.get("score") instanceof Value.FloatValue f ? f.value()
                        : o.get("score") instanceof Value.IntValue i ? i.value() : Double.NaN;
                return new Cursor(q.value(), new ResumeAfter(values, score, id.value()));
            }
        } catch (RuntimeException e) {
            // the message below
        }
        throw new StrataException(ErrorCode.INVALID_REQUEST, "the cursor is not one this node gave out; pass the \"next\" value of"
                + " a reply as it is");
    }

    /** JSON has no dates, and 1.0 may come back as 1: a key travels as {kind, value} so it comes back as what it was. */
    private static Value tagged(Value v) {
        Map<String, Value> o = new LinkedHashMap<>();
        o.put("kind", Value.of(v.kind().name()));
        o.put("value", switch (v) {
            case Value.DateValue d -> Value.of(d.epochDay());
            case Value.TimestampValue t -> Value.of(t.epochMicros());
            case Value.FloatValue f -> Value.of(Double.toString(f.value()));
            default -> v;
        });
        return new Value.ObjectValue(o);
    }

    private static Value untagged(Value v) {
        Value.ObjectValue o = (Value.ObjectValue) v;
        Value x = o.get("value");
        return switch (((Value.StringValue) o.get("kind")).value()) {
            case "DATE" -> new Value.DateValue((int) ((Value.IntValue) x).value());
            case "TIMESTAMP" -> new Value.TimestampValue(((Value.IntValue) x).value());
            case "FLOAT" -> Value.of(Double.parseDouble(((Value.StringValue) x).value()));
            case "NULL" -> Value.NULL;
            default -> x;
        };
    }
}
