package dev.strata.node.exec;

import dev.strata.core.value.Value;
import java.util.List;

/**
 * A grouped query's groups as one shard (or cluster member) computed them, before its page is cut:
 * each group's key values and each aggregate's running state (counts, sums with their exactness,
 * extremes, distinct values). Partials of the same plan merge into the answer over all shards
 * ({@link QueryExecutor#mergeGroups}).
 */
public record GroupPartial(List<Value[]> keys, List<Value[]> states) implements java.io.Serializable {
    public GroupPartial {
        keys = List.copyOf(keys);
        states = List.copyOf(states);
        if (keys.size() != states.size()) throw new IllegalArgumentException("a state per group");
    }
}
