package dev.strata.core.segment;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import java.util.Map;

/**
 * An immutable batch of documents in columnar form: ids, one {@link FieldColumn} per flattened
 * path, and the stored source of each document ({@link DocumentStore}). Documents are numbered
 * 0 .. docCount-1. Built in memory ({@link SegmentBuilder}) or opened from segment files.
 */
public final class Segment {
    private final DocumentStore documents;
    private final Map<String, FieldColumn> columns;
    private final Schema schema;

    public Segment(DocumentStore documents, Map<String, FieldColumn> columns) {
        this.documents = documents;
        this.columns = Map.copyOf(columns);
        this.schema = Schema.ofColumns(this.columns);
    }

    public int docCount() { return documents.docCount(); }

    public String id(int doc) { return documents.id(doc); }

    /** The document with the {@code rank}-th smallest id, or -1 when the store cannot say cheaply ({@link DocumentStore#docByIdRank}). */
    public int docByIdRank(int rank) { return documents.docByIdRank(rank); }

    /** The stored source, parsed (a new value each call). */
    public Value.ObjectValue source(int doc) { return documents.source(doc); }

    /** The stored source as the JSON bytes it is kept in; the caller must not change them. */
    public byte[] sourceJson(int doc) { return documents.sourceJson(doc); }

    /** The ids and sources. */
    public DocumentStore documents() { return documents; }

    /** The column of {@code path} (positions ignored), or null if no document has it. */
    public FieldColumn column(FieldPath path) { return columns.get(path.columnKey()); }

    /** Every column, keyed by {@link FieldPath#columnKey()}. Unmodifiable. */
    public Map<String, FieldColumn> columns() { return columns; }

    public Schema schema() { return schema; }

    /** A cursor over this segment's documents for a tier that reads fields by handle. */
    public DocumentView view() { return new DocumentView(this); }
}
