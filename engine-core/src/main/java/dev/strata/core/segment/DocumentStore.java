package dev.strata.core.segment;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.charset.StandardCharsets;

/**
 * The ids and stored sources of one segment's documents: in memory for a segment just built,
 * read from its files otherwise. A source is kept as the JSON text of the document (its UTF-8
 * bytes); {@link #source} parses it for readers that need values. Thread-safe.
 */
public interface DocumentStore {
    int docCount();

    /** The id of document {@code doc}. */
    String id(int doc);

    /** The stored source of {@code doc} as JSON bytes (UTF-8); the caller must not change them. */
    byte[] sourceJson(int doc);

    /** The document whose id is {@code id}, or -1 (deleted documents included: the caller checks deletes). */
    int find(String id);

    /** False when no document here can have {@code id} (a cheap test before {@link #find}); true when one may. */
    default boolean mayContain(String id) { return true; }

    /**
     * The document with the {@code rank}-th smallest id (by code point, ranks from 0), or -1 when
     * this store cannot say without reading every id (a caller then compares ids itself). Lets a
     * query ordered by {@code _id} take a segment's first matches in id order and stop.
     */
    default int docByIdRank(int rank) { return -1; }

    /** The stored source of {@code doc}, parsed. */
    default Value.ObjectValue source(int doc) {
        return (Value.ObjectValue) Json.parse(new String(sourceJson(doc), StandardCharsets.UTF_8));
    }

    /** Documents held in memory: ids and JSON bytes in arrays. */
    record InMemory(String[] ids, byte[][] sources) implements DocumentStore {
        @Override
        public int docCount() { return ids.length; }

        @Override
        public int find(String id) {
            for (int i = ids.length - 1; i >= 0; i--) if (ids[i].equals(id)) return i; // small, short-lived segments only
            return -1;
        }

        @Override
        public String id(int doc) { return ids[doc]; }

        @Override
        public byte[] sourceJson(int doc) { return sources[doc]; }
    }
}
