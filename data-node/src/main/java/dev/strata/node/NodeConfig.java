package dev.strata.node;

import dev.strata.node.storage.Collection;
import dev.strata.node.storage.FieldLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * A node's settings. {@link #builder(Path)} starts from the embedded defaults (the data directory
 * is the one required setting); {@code withX} methods give a copy with one setting changed.
 *
 * @param queryTimeout each query's deadline (zero: none); UDFs past it are interrupted
 * @param tierSettings settings handed to the tiers by name (see each tier's documentation)
 * @param queryMemoryBytes what one query may hold of the heap (0: a quarter of the maximum heap)
 * @param maxFieldsPerCollection distinct field paths a new collection accepts unless it sets its own limit
 * @param exitOnFatalError on an OutOfMemoryError: exit the process so a supervisor restarts it
 *     (serve), or (embedded) report the node as failed on {@code /health}
 * @param defaultPageSize the hits an HTTP query returns when it has no LIMIT (10, as Elasticsearch)
 * @param maxPage how deep a page may reach with OFFSET and LIMIT (10,000); deeper pages use the cursor
 * @param writeToken the token writes need (null: writes open, unless a read token is set)
 * @param readToken the token reads need (null: reads open)
 * @param logQueries every query goes to the query log (logger {@code strata.query})
 * @param slowQuery a query at least this slow goes to the slow-query log (zero: never)
 * @param fabric the cluster fabric to start by name ({@code hazelcast}), or null for a single node
 * @param cluster how the fabric joins its cluster (null for a single node)
 */
public record NodeConfig(Path dataDir, Collection.Durability durability, Duration syncInterval, Duration refreshInterval,
                         long checkpointBytes, int planCacheSize, String adminToken, Duration queryTimeout,
                         Map<String, String> tierSettings, long queryMemoryBytes, int maxFieldsPerCollection,
                         boolean exitOnFatalError, int defaultPageSize, int maxPage, String writeToken, String readToken,
                         boolean logQueries, Duration slowQuery, String fabric, dev.strata.node.cluster.ClusterSettings cluster) {
    public NodeConfig {
        if (defaultPageSize < 1) throw new IllegalArgumentException("the default page size must be at least 1");
        if (maxPage < defaultPageSize) throw new IllegalArgumentException("the largest page must hold at least the default page");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(durability, "durability");
        tierSettings = Map.copyOf(tierSettings);
        if (queryMemoryBytes < 0) throw new IllegalArgumentException("the query memory budget must not be negative");
        if (maxFieldsPerCollection < 1) throw new IllegalArgumentException("the field limit must be at least 1");
        if (planCacheSize < 0) throw new IllegalArgumentException("the plan cache size must not be negative");
        Objects.requireNonNull(slowQuery, "slowQuery");
        if ((fabric == null) != (cluster == null)) throw new IllegalArgumentException("a cluster needs both a fabric and its settings");
        if (slowQuery.isNegative()) throw new IllegalArgumentException("the slow-query threshold must not be negative");
    }

    /** The embedded defaults: durable writes (fsync before acknowledging), a refresh a second, a 30 s query deadline. */
    public static NodeConfig defaults(Path dataDir) { return builder(dataDir).build(); }

    public static Builder builder(Path dataDir) { return new Builder(dataDir); }

    /** A builder holding this config's settings. */
    public Builder toBuilder() {
        Builder b = new Builder(dataDir);
        b.durability = durability;
        b.syncInterval = syncInterval;
        b.refreshInterval = refreshInterval;
        b.checkpointBytes = checkpointBytes;
        b.planCacheSize = planCacheSize;
        b.adminToken = adminToken;
        b.queryTimeout = queryTimeout;
        b.tierSettings = tierSettings;
        b.queryMemoryBytes = queryMemoryBytes;
        b.maxFieldsPerCollection = maxFieldsPerCollection;
        b.exitOnFatalError = exitOnFatalError;
        b.defaultPageSize = defaultPageSize;
        b.maxPage = maxPage;
        b.writeToken = writeToken;
        b.readToken = readToken;
        b.logQueries = logQueries;
        b.slowQuery = slowQuery;
        b.fabric = fabric;
        b.cluster = cluster;
        return b;
    }

    public NodeConfig withDurability(Collection.Durability d) { return toBuilder().durability(d).build(); }

    public NodeConfig withRefreshInterval(Duration r) { return toBuilder().refreshInterval(r).build(); }

    public NodeConfig withSyncInterval(Duration s) { return toBuilder().syncInterval(s).build(); }

    public NodeConfig withAdminToken(String t) { return toBuilder().adminToken(t).build(); }

    public NodeConfig withCheckpointBytes(long b) { return toBuilder().checkpointBytes(b).build(); }

    public NodeConfig withQueryTimeout(Duration t) { return toBuilder().queryTimeout(t).build(); }

    public NodeConfig withTierSettings(Map<String, String> s) { return toBuilder().tierSettings(s).build(); }

    public NodeConfig withQueryMemoryBytes(long bytes) { return toBuilder().queryMemoryBytes(bytes).build(); }

    public NodeConfig withMaxFieldsPerCollection(int max) { return toBuilder().maxFieldsPerCollection(max).build(); }

    public NodeConfig withExitOnFatalError(boolean exit) { return toBuilder().exitOnFatalError(exit).build(); }

    NodeConfig withDataDir(Path dir) {
        Builder b = toBuilder();
        b.dataDir = dir;
        return b.build();
    }

    /** Settings with their defaults; {@link #build} checks them. */
    public static final class Builder {
        private Path dataDir;
        private Collection.Durability durability = Collection.Durability.SYNC;
        private Duration syncInterval = Duration.ofMillis(200);
        private Duration refreshInterval = Duration.ofSeconds(1);
        private long checkpointBytes = 64L << 20;
        private int planCacheSize = 1024;
        private String adminToken;
        private Duration queryTimeout = Duration.ofSeconds(30);
        private Map<String, String> tierSettings = Map.of();
        private long queryMemoryBytes;
        private int maxFieldsPerCollection = FieldLimit.DEFAULT;
        private boolean exitOnFatalError;
        private int defaultPageSize = 10;
        private int maxPage = 10_000;
        private String writeToken;
        private String readToken;
        private boolean logQueries;
        private Duration slowQuery = Duration.ofSeconds(1);
        private String fabric;
        private dev.strata.node.cluster.ClusterSettings cluster;

        private Builder(Path dataDir) { this.dataDir = dataDir; }

        /** SYNC (fsync before acknowledging, grouped), or INTERVAL (fsync every {@link #syncInterval}). */
        public Builder durability(Collection.Durability d) { durability = d; return this; }

        public Builder syncInterval(Duration d) { syncInterval = d; return this; }

        /** How often written documents become searchable (zero: only on an explicit refresh). */
        public Builder refreshInterval(Duration d) { refreshInterval = d; return this; }

        /** Log bytes after which a collection commits its segments and trims the log. */
        public Builder checkpointBytes(long b) { checkpointBytes = b; return this; }

        public Builder planCacheSize(int n) { planCacheSize = n; return this; }

        /** The admin token; null: read from, or generated into, {@code admin.token} in the data directory. */
        public Builder adminToken(String t) { adminToken = t; return this; }

        public Builder queryTimeout(Duration d) { queryTimeout = d; return this; }

        public Builder tierSettings(Map<String, String> s) { tierSettings = s; return this; }

        public Builder queryMemoryBytes(long b) { queryMemoryBytes = b; return this; }

        public Builder maxFieldsPerCollection(int n) { maxFieldsPerCollection = n; return this; }

        public Builder exitOnFatalError(boolean e) { exitOnFatalError = e; return this; }

        public Builder defaultPageSize(int n) { defaultPageSize = n; return this; }

        public Builder maxPage(int n) { maxPage = n; return this; }

        /** The token writes need; null leaves writes open (unless a read token is set). */
        public Builder writeToken(String t) { writeToken = t; return this; }

        /** The token reads need; null leaves reads open. */
        public Builder readToken(String t) { readToken = t; return this; }

        /** Log every query (logger strata.query, INFO). */
        public Builder logQueries(boolean on) { logQueries = on; return this; }

        /** Log each query at least this slow (logger strata.slow_query, WARN); zero: never. */
        public Builder slowQuery(Duration d) { slowQuery = d; return this; }

        /** Join a cluster through the fabric named {@code name} with {@code settings}; null, null: a single node. */
        public Builder cluster(String name, dev.strata.node.cluster.ClusterSettings settings) {
            fabric = name;
            cluster = settings;
            return this;
        }

        public NodeConfig build() {
            return new NodeConfig(dataDir, durability, syncInterval, refreshInterval, checkpointBytes, planCacheSize, adminToken,
                    queryTimeout, tierSettings, queryMemoryBytes, maxFieldsPerCollection, exitOnFatalError, defaultPageSize, maxPage,
                    writeToken, readToken, logQueries, slowQuery, fabric, cluster);
        }
    }
}
