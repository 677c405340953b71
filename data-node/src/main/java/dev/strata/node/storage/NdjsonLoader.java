package dev.strata.node.storage;

import dev.strata.core.StrataException;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads newline-delimited JSON documents into a segment builder. A document's {@code "_id"}
 * (a string) becomes its id and leaves the stored fields; without one, an id is generated. A bad
 * line is reported with its number and skipped; the others are added.
 */
public final class NdjsonLoader {
    private NdjsonLoader() {}

    /** A line that could not be added. */
    public record LineError(int line, String message) {}

    public static List<LineError> load(BufferedReader in, SegmentBuilder into) throws IOException {
        List<LineError> errors = new ArrayList<>();
        String line;
        int number = 0;
        while ((line = in.readLine()) != null) {
            number++;
            if (line.isBlank()) continue;
            try {
                Value v = Json.parse(line);
                if (!(v instanceof Value.ObjectValue doc)) {
                    errors.add(new LineError(number, "a document must be a JSON object"));
                    continue;
                }
                String id = "doc-" + (into.size() + 1);
                if (doc.get("_id") instanceof Value.StringValue s) {
                    id = s.value();
                    Map<String, Value> rest = new LinkedHashMap<>(doc.fields());
                    rest.remove("_id");
                    doc = new Value.ObjectValue(rest);
                }
                into.add(id, doc);
            } catch (StrataException e) {
                errors.add(new LineError(number, e.getMessage()));
            }
        }
        return errors;
    }
}
