package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.storage.Collection;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a bulk body into documents and per-line errors. NDJSON: one document per line (blank
 * lines skipped). A body starting with '[' is a JSON array; its items are numbered from 1 as
 * "lines". A line that is not a JSON object with a string {@code _id} (if any) is reported with
 * its number; the collection validates the others when it writes them. A line's document keeps
 * its text as it came (without {@code _id}) as the stored source; the items of an array body are
 * written anew.
 */
public final class BulkParser {
    private BulkParser() {}

    public record LineError(int line, ErrorCode code, String message) {}

    /**
     * The documents that parsed, the line of each, the first {@link Collection#MAX_REJECTED_SHOWN}
     * lines that did not parse, and how many did not in all.
     */
    public record Parsed(List<Collection.Document> documents, List<Integer> lines, List<LineError> errors, int errorCount) {}

    /** Line errors, the first ones kept with their messages, the rest only counted. */
    private static final class Errors extends ArrayList<LineError> {
        private static final long serialVersionUID = 1L;
        int count;

        @Override
        public boolean add(LineError e) {
            return count++ < Collection.MAX_REJECTED_SHOWN && super.add(e);
        }
    }

    public static Parsed parse(String body) {
        List<Collection.Document> docs = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        Errors errors = new Errors();
        String trimmed = body.stripLeading();
        if (trimmed.startsWith("[")) {
            Value v = Json.parse(body);
            int n = 0;
            if (!(v instanceof Value.ArrayValue a)) throw new StrataException(ErrorCode.INVALID_JSON, "a bulk body starting with '[' must be a JSON array");
            for (Value item : a.elements()) accept(++n, item, docs, lines, errors);
            return new Parsed(docs, lines, errors, errors.count);
        }
        int line = 0;
        int start = 0;
        while (start <= body.length()) {
            int end = body.indexOf('\n', start);
            if (end < 0) end = body.length();
            line++;
            String text = body.substring(start, end);
            start = end + 1;
            if (text.isBlank()) continue;
            try {
                docs.add(Collection.document(Json.parseDocument(text)));
                lines.add(line);
            } catch (StrataException e) {
                errors.add(new LineError(line, e.code(), e.getMessage()));
            }
        }
        return new Parsed(docs, lines, errors, errors.count);
    }

    private static void accept(int line, Value v, List<Collection.Document> docs, List<Integer> lines, List<LineError> errors) {
        if (!(v instanceof Value.ObjectValue o)) {
            errors.add(new LineError(line, ErrorCode.INVALID_JSON, "a document must be a JSON object, not " + v.kind().display()));
            return;
        }
        try {
            docs.add(Collection.split(o));
            lines.add(line);
        } catch (StrataException e) {
            errors.add(new LineError(line, e.code(), e.getMessage()));
        }
    }
}
