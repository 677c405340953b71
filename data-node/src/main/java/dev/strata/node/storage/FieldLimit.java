package dev.strata.node.storage;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The distinct field paths of one collection, capped as Elasticsearch caps mapped fields: a
 * document that would take the collection past its limit is refused with a message naming the
 * limit, so key-as-data documents ({@code {"scores": {"user123": 5}}}) cannot explode the number of
 * columns. Paths are never forgotten while the node runs (deletes do not free them); a restart
 * counts the paths of the documents that are still there. Writes recovered from the log are
 * always admitted: acknowledged data is never refused, even after the limit was lowered.
 */
public final class FieldLimit {
    /** The default limit per collection, as in Elasticsearch. */
    public static final int DEFAULT = 1000;

    private final int max;
    private final Set<String> known = ConcurrentHashMap.newKeySet(); // read without the lock; added to under it

    public FieldLimit(int max) { this.max = max; }

    public int max() { return max; }

    public int size() { return known.size(); }

    /** Counts the paths of a document recovered from the log, whatever the limit. */
    synchronized void record(Value.ObjectValue doc) { SegmentBuilder.forEachPath(doc, known::add); }

    /** Counts the paths (column keys) of a committed segment, whatever the limit. */
    synchronized void recordPaths(java.util.Collection<String> paths) { known.addAll(paths); }

    /**
     * Admits the document's new paths, or refuses the document (FIELD_LIMIT_EXCEEDED) when they
     * would take the collection past the limit; a refused document adds nothing.
     */
    void admit(String collection, String id, Value.ObjectValue doc) {
        Set<String> added = new LinkedHashSet<>();
        SegmentBuilder.forEachPath(doc, p -> {
            if (!known.contains(p)) added.add(p);
        });
        if (added.isEmpty()) return; // the common case: no new path, no lock
        synchronized (this) {
            added.removeIf(known::contains); // another writer may have added some meanwhile
            admitNew(collection, id, added);
        }
    }

    /** Caller holds the lock. */
    private void admitNew(String collection, String id, Set<String> added) {
        if (added.isEmpty()) return;
        if (known.size() + added.size() > max) {
            String first = FieldPath.display(added.iterator().next());
            if (first.length() > 200) first = first.substring(0, 200) + "…";
            throw new StrataException(ErrorCode.FIELD_LIMIT_EXCEEDED, "document '" + id + "' would add the field '" + first + "'"
                    + (added.size() > 1 ? " and " + (added.size() - 1) + " more" : "") + " to collection '" + collection
                    + "', which has " + known.size() + " distinct field paths; its limit is " + max + " (max_fields). Keep keys that"
                    + " are data as values (for example [{\"user\": \"u1\", \"score\": 5}]) or create the collection with a higher max_fields");
        }
        known.addAll(added);
    }
}
