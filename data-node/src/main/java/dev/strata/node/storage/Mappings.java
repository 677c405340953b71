package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Explicit field types of a collection. A collection is schemaless by default: each path takes
 * whatever kinds its documents hold, and a path seen with several kinds keeps all of them (a
 * comparison reads the elements of the kind it needs; the others are UNKNOWN there). A mapping
 * pins a path to one kind: documents whose value there has another kind are refused whole,
 * and strings under a {@code date} or {@code timestamp} path are parsed as ISO dates. Null is
 * always accepted; arrays are accepted when every element fits.
 */
public record Mappings(Map<String, ValueKind> byPath) {
    public static final Mappings NONE = new Mappings(Map.of());

    public Mappings {
        byPath = Map.copyOf(byPath);
    }

    /** Reads {@code {"path": "date", ...}}; kinds are string, int, float, bool, date, timestamp. */
    public static Mappings parse(Value.ObjectValue json) {
        Map<String, ValueKind> m = new LinkedHashMap<>();
        json.fields().forEach((path, kind) -> {
            if (!(kind instanceof Value.StringValue s)) {
                throw new StrataException(ErrorCode.INVALID_REQUEST, "mapping of '" + path + "' must be a kind name such as \"date\"");
            }
            ValueKind k = switch (s.value().toLowerCase(Locale.ROOT)) {
                case "string", "keyword", "text" -> ValueKind.STRING;
                case "int", "long", "integer" -> ValueKind.INT;
                case "float", "double" -> ValueKind.FLOAT;
                case "bool", "boolean" -> ValueKind.BOOL;
                case "date" -> ValueKind.DATE;
                case "timestamp" -> ValueKind.TIMESTAMP;
                default -> throw new StrataException(ErrorCode.INVALID_REQUEST, "unknown kind '" + s.value() + "' for '" + path
                        + "' (use string, int, float, bool, date or timestamp)");
            };
            if (path.isEmpty()) throw new StrataException(ErrorCode.INVALID_REQUEST, "a mapping needs a field path");
            m.put(FieldPath.parseDotted(path).columnKey(), k);
        });
        return new Mappings(m);
    }

    public Value.ObjectValue toJson() {
        Map<String, Value> out = new LinkedHashMap<>();
        byPath.forEach((k, v) -> out.put(FieldPath.display(k), new Value.StringValue(v.display())));
        return new Value.ObjectValue(out);
    }

    /** Declares the temporal paths to a segment builder (it parses their strings). */
    public SegmentBuilder applyTo(SegmentBuilder b) {
        byPath.forEach((k, v) -> {
            if (v.isTemporal()) b.map(FieldPath.of(FieldPath.keysOf(k).toArray(String[]::new)), v);
        });
        return b;
    }

    /** Refuses a document that a mapped path does not accept, naming the field. */
    public void validate(String id, Value.ObjectValue doc) {
        if (!byPath.isEmpty()) walk(id, "", doc);
    }

    private void walk(String id, String prefix, Value v) {
        switch (v) {
            case Value.ObjectValue o -> o.fields().forEach((k, child) ->
                    walk(id, FieldPath.joinKey(prefix, k), child));
            case Value.ArrayValue a -> a.elements().forEach(e -> walk(id, prefix, e));
            default -> check(id, prefix, v);
        }
    }

    private void check(String id, String path, Value v) {
        ValueKind want = byPath.get(path);
        if (want == null || v instanceof Value.NullValue) return;
        boolean ok = switch (want) {
            // a value handed over typed (the embedded API) is already what the mapping asks for
            case DATE -> v instanceof Value.DateValue || v instanceof Value.StringValue s && parses(s.value(), true);
            case TIMESTAMP -> v instanceof Value.TimestampValue || v instanceof Value.StringValue s && parses(s.value(), false);
            case FLOAT -> v instanceof Value.FloatValue || v instanceof Value.IntValue;
            default -> v.kind() == want;
        };
        if (!ok) {
            String shown = v instanceof Value.StringValue s ? "'" + s.value() + "'" : v.kind().display();
            throw new StrataException(ErrorCode.TYPE_MISMATCH, "document '" + id + "': field '"
                    + FieldPath.display(path) + "' is mapped as " + want.display() + " but holds " + shown);
        }
    }

    private static boolean parses(String s, boolean date) {
        try {
            if (date) Temporal.parseDate(s); else Temporal.parseTimestamp(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
