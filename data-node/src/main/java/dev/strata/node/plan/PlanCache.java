package dev.strata.node.plan;

import dev.strata.core.ast.Query;
import dev.strata.core.segment.Schema;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A bounded LRU of parsed queries and their plans, keyed by collection and query text. A plan is
 * reused while the collection's schema is unchanged (new fields or kinds re-plan; new documents
 * do not). Thread-safe; lookups hold the lock for a map access only.
 */
public final class PlanCache {
    private final int capacity;
    private final Map<Key, Entry> entries;
    private long hits;
    private long misses;

    private record Key(String collection, String text) {}

    private record Cached(Plan plan, long udfGeneration) {}

    /** A parsed query with its latest plans (one using indexes, one forcing a scan). */
    public static final class Entry {
        private final Query query;
        private volatile Cached indexed;
        private volatile Cached scan;

        Entry(Query query) { this.query = query; }

        public Query query() { return query; }

        /**
         * The plan for {@code schema}, reused if the cached one was made for an equal schema and
         * the same generation of UDF modules (a registered, replaced or unloaded module re-plans).
         */
        public Plan plan(Schema schema, long udfGeneration, boolean useIndexes, Function<Query, Plan> planner) {
            Cached c = useIndexes ? indexed : scan;
            if (c != null && c.udfGeneration == udfGeneration
                    && (c.plan.schema() == schema || c.plan.schema().equals(schema))) return c.plan;
            Plan p = planner.apply(query);
            c = new Cached(p, udfGeneration);
            if (useIndexes) indexed = c; else scan = c;
            return p;
        }
    }

    public PlanCache(int capacity) {
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, PlanCache.Entry> eldest) { return size() > PlanCache.this.capacity; }
        };
    }

    /** The cached entry for this text, or a new one from {@code parser} (which may throw; nothing is cached then). */
    public Entry get(String collection, String text, Function<String, Query> parser) {
        Key k = new Key(collection, text);
        synchronized (this) {
            Entry e = entries.get(k);
            if (e != null) {
                hits++;
                return e;
            }
            misses++;
        }
        Entry e = new Entry(parser.apply(text));
        synchronized (this) {
            entries.put(k, e);
        }
        return e;
    }

    /**
     * Drops every plan but keeps the parsed queries: after a UDF module changed, so that no cached
     * plan keeps an unloaded or replaced module version (and its instances) reachable.
     */
    public synchronized void dropPlans() {
        for (Entry e : entries.values()) {
            e.indexed = null;
            e.scan = null;
        }
    }

    /** Drops a collection's entries (it was deleted). */
    public synchronized void forget(String collection) {
        entries.keySet().removeIf(k -> k.collection().equals(collection));
    }

    public synchronized long hits() { return hits; }

    public synchronized long misses() { return misses; }

    public synchronized int size() { return entries.size(); }
}
