package dev.strata.core.segment;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.ValueKind;
import java.util.ArrayList;
import java.util.List;

/**
 * What a tier sees of one document at a time: id, score and typed field reads through integer
 * handles. Resolve each path to a handle once per query and segment with {@link #handle}; per
 * document, {@link #moveTo} and read by handle, so the per-document path passes no strings.
 * A field read looks at the field's first element (arrays are flattened). Not thread-safe: one
 * view per thread.
 */
public final class DocumentView {
    private final Segment segment;
    private final List<FieldColumn> handles = new ArrayList<>();
    private int doc = -1;
    private double score = 1.0;

    DocumentView(Segment segment) { this.segment = segment; }

    /** Resolves {@code path} to a handle (positions ignored). Call once per query, not per document. */
    public int handle(FieldPath path) {
        handles.add(segment.column(path));
        return handles.size() - 1;
    }

    public void moveTo(int doc, double score) {
        this.doc = doc;
        this.score = score;
    }

    public String id() { return segment.id(doc); }

    public double score() { return score; }

    /** Whether the document has the key (even if it holds null or an empty array). */
    public boolean exists(int handle) {
        FieldColumn c = handles.get(handle);
        return c != null && c.isPresent(doc);
    }

    /** Kind of the field's first element, or null if the field is missing or an empty array. */
    public ValueKind kind(int handle) {
        FieldColumn c = handles.get(handle);
        if (c == null || c.elementCount(doc) == 0) return null;
        return c.elementKind(c.elementStart(doc));
    }

    /** The int value, or 0 when the first element is not an int ({@link #kind} tells). */
    public long getLong(int handle) {
        return kind(handle) == ValueKind.INT ? handles.get(handle).longAt(first(handle)) : 0L;
    }

    /** The numeric value (ints widened), or 0.0 when the first element is not a number. */
    public double getDouble(int handle) {
        ValueKind k = kind(handle);
        if (k == ValueKind.FLOAT) return handles.get(handle).doubleAt(first(handle));
        if (k == ValueKind.INT) return handles.get(handle).longAt(first(handle));
        return 0.0;
    }

    public boolean getBool(int handle) {
        return kind(handle) == ValueKind.BOOL && handles.get(handle).longAt(first(handle)) != 0;
    }

    /** The string value, or null when the first element is not a string. */
    public String getString(int handle) {
        if (kind(handle) != ValueKind.STRING) return null;
        FieldColumn c = handles.get(handle);
        return c.dictionary().get((int) c.longAt(first(handle)));
    }

    private int first(int handle) { return handles.get(handle).elementStart(doc); }
}
