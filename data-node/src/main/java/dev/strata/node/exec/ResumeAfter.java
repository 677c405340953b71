package dev.strata.node.exec;

import dev.strata.core.value.Value;
import java.util.List;

/**
 * Where a page ended: its last hit's sort-key values, score and id. The next page holds the
 * matches that rank after it in the query's order (sort keys, then {@code _id}), so it costs what
 * the first page costs and skips or repeats nothing, whatever was written in between.
 *
 * @param keys one value per ORDER BY key (empty without ORDER BY)
 * @param score the last hit's score (NaN for none)
 */
public record ResumeAfter(List<Value> keys, double score, String id) implements java.io.Serializable {
    public ResumeAfter {
        keys = List.copyOf(keys);
        java.util.Objects.requireNonNull(id, "id");
    }
}
