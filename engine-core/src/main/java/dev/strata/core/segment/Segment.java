package dev.strata.core.segment;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import java.util.Map;

/**
 * An immutable batch of documents in columnar form: ids, one {@link FieldColumn} per flattened
 * path, and the stored source of each document. Documents are numbered 0 .. docCount-1.
 */
public final class Segment {
    private final String[] ids;
    private final Value.ObjectValue[] sources;
    private final Map<String, FieldColumn> columns;
    private final Schema schema;

    Segment(String[] ids, Value.ObjectValue[] sources, Map<String, FieldColumn> columns) {
        this.ids = ids;
        this.sources = sources;
        this.columns = Map.copyOf(columns);
        this.schema = Schema.ofColumns(this.columns);
    }

    public int docCount() { return ids.length; }

    public String id(int doc) { return ids[doc]; }

    public Value.ObjectValue source(int doc) { return sources[doc]; }

    /** The column of {@code path} (positions ignored), or null if no document has it. */
    public FieldColumn column(FieldPath path) { return columns.get(path.columnKey()); }

    /** Every column, keyed by {@link FieldPath#columnKey()}. Unmodifiable. */
    public Map<String, FieldColumn> columns() { return columns; }

    public Schema schema() { return schema; }

    /** A cursor over this segment's documents for a tier that reads fields by handle. */
    public DocumentView view() { return new DocumentView(this); }
}
