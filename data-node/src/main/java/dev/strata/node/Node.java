package dev.strata.node;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.memory.MemoryBreaker;
import dev.strata.node.exec.QueryService;
import dev.strata.node.health.Background;
import dev.strata.node.health.FatalErrors;
import dev.strata.node.health.NodeHealth;
import dev.strata.node.tier.TierRegistry;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.FieldLimit;
import dev.strata.node.storage.Mappings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data node: the collections under one data directory, the query service, and the background
 * work (refresh on an interval, log sync in the relaxed mode, merges and commits). Embeddable:
 * tests and benchmarks open one directly; the HTTP server and CLI wrap one.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /** How long a collection's changes may wait for a commit when the log stays below the checkpoint size. */
    public static final Duration COMMIT_INTERVAL = Duration.ofSeconds(30);

    private final NodeConfig config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String adminToken;
    private final dev.strata.node.access.AccessTokens access;
    private final dev.strata.node.metrics.NodeMetrics metrics = new dev.strata.node.metrics.NodeMetrics();
    private final dev.strata.node.logging.QueryLog queryLog;
    private volatile dev.strata.node.cluster.ClusterFabric fabric = new dev.strata.node.cluster.LocalFabric(1);
    private volatile dev.strata.node.cluster.PartitionedStore partitioned; // null on a node that runs alone
    private final boolean tokenGenerated;
    private final boolean fresh;
    private final Map<String, Collection> collections = new TreeMap<>();
    /** Collections whose files failed a check at start, with why: refused until repaired or dropped. */
    private final Map<String, String> unopened = new TreeMap<>();
    private final QueryService queries;
    private final NodeHealth health = new NodeHealth();
    private final FatalErrors fatalErrors;
    private final MemoryBreaker memory;
    private final ScheduledExecutorService refresher;
    private final ScheduledExecutorService maintainer;

    private Node(NodeConfig config, FileChannel lockChannel, FileLock lock, String adminToken, boolean tokenGenerated, boolean fresh,
                 TierRegistry tiers) {
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.adminToken = adminToken;
        this.access = new dev.strata.node.access.AccessTokens(adminToken, config.writeToken(), config.readToken());
        this.queryLog = new dev.strata.node.logging.QueryLog(config.logQueries(), config.slowQuery());
        this.tokenGenerated = tokenGenerated;
        this.fresh = fresh;
        long heap = MemoryBreaker.maxHeap();
        this.memory = new MemoryBreaker((long) (heap * MemoryBreaker.DEFAULT_LIMIT_FRACTION),
                config.queryMemoryBytes() > 0 ? config.queryMemoryBytes() : heap / 4);
        this.fatalErrors = new FatalErrors(config.exitOnFatalError(), health);
        this.queries = new QueryService(tiers, config.planCacheSize(), config.queryTimeout(), memory);
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "strata-refresh"));
        this.maintainer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "strata-merge"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Opens (creating if needed) the node in {@code config.dataDir()}; refuses a directory another node holds. */
    public static Node open(NodeConfig config) {
        Path dir = config.dataDir().toAbsolutePath().normalize();
        AdminToken.checkConfigured(config.adminToken());
        new dev.strata.node.access.AccessTokens("unchecked", config.writeToken(), config.readToken()); // blank tokens fail before anything opens
        try {
            boolean fresh = !Files.isDirectory(dir.resolve("collections"));
            Files.createDirectories(dir.resolve("collections"));
            FileChannel ch = FileChannel.open(dir.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new StrataException(ErrorCode.INVALID_REQUEST, "the data directory " + dir + " is in use by another Strata node");
            }
            AdminToken token;
            TierRegistry tiers;
            try {
                token = AdminToken.resolve(dir, config.adminToken());
                // each tier gets its own directory udfs/NAME; UDF tiers load their stored modules here
                tiers = TierRegistry.create(dir.resolve("udfs"), config.tierSettings());
            } catch (IOException | RuntimeException e) {
                l.release();
                ch.close();
                throw e;
            }
            Node n = new Node(config.withDataDir(dir), ch, l, token.token(), token.generated(), fresh, tiers);
            n.metrics.bind(n);
            if (config.fabric() != null) n.fabric = dev.strata.node.cluster.ClusterFabricFactory.named(config.fabric()).start(config.cluster());
            n.fabric.register(Node.class, n); // a single node's LocalFabric too: a distributed query there is the ordinary one
            n.loadCollections();
            if (config.fabric() != null) {
                n.partitioned = new dev.strata.node.cluster.PartitionedStore(n, n.fabric, config.cluster(), dir.resolve("cluster"));
                n.partitioned.start();
            }
            n.startBackground();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the data directory " + dir + ": " + e, e);
        }
    }

    private void loadCollections() throws IOException {
        try (var dirs = Files.list(config.dataDir().resolve("collections"))) {
            for (Path d : dirs.filter(p -> Files.exists(p.resolve("collection.json"))).sorted().toList()) {
                String name = d.getFileName().toString();
                try {
                    Collection c = Collection.open(d, options());
                    collections.put(c.name(), c);
                    LOG.info("opened collection {} ({} documents)", c.name(), c.snapshot().liveCount());
                } catch (RuntimeException e) {
                    // one collection's damaged files must not keep the others from serving
                    String why = "collection '" + name + "' could not be opened: " + e.getMessage() + ". Its files are left as they"
                            + " are: restore the directory collections/" + name + " from a backup and restart, or drop the collection"
                            + " (DELETE /collections/" + name + ") and load it again";
                    unopened.put(name, why);
                    health.failed(component(name), "open", new IllegalStateException(why));
                    LOG.error("{}", why, e);
                }
            }
        }
    }

    private Collection.Options options() {
        return new Collection.Options(config.durability(), config.checkpointBytes(), Collection.Options.DEFAULT.mergeFactor(),
                config.maxFieldsPerCollection()).observedBy(metrics);
    }

    /** The health component of a collection: {@code collection:NAME}. */
    public static String component(Collection c) { return component(c.name()); }

    /** The health component of the collection called {@code name}. */
    public static String component(String name) { return "collection:" + name; }

    /**
     * Refresh, log sync, merge and commit: each survives any failure of one run (logged at
     * ERROR, retried with back-off, shown on /health until it works again).
     */
    private void startBackground() {
        Background refreshing = new Background(refresher, health, fatalErrors);
        Background maintaining = new Background(maintainer, health, fatalErrors);
        if (config.refreshInterval().toMillis() > 0) {
            refreshing.every("refresh", config.refreshInterval(), this::collectionsNow, Node::component, Collection::refresh);
        }
        if (config.durability() == Collection.Durability.INTERVAL) {
            refreshing.every("log sync", config.syncInterval(), this::collectionsNow, Node::component, Collection::syncLog);
        }
        maintaining.every("merge", Duration.ofSeconds(1), this::collectionsNow, Node::component, c -> {
            while (c.maybeMerge()) { /* merge tiers until none is full */ }
        });
        maintaining.every("commit", Duration.ofSeconds(1), this::collectionsNow, Node::component,
                c -> c.commitIfDue(config.checkpointBytes(), COMMIT_INTERVAL));
    }

    /** What is wrong with the node now (background work, tiers come from the tiers themselves). */
    public NodeHealth health() { return health; }

    /** Where a fatal JVM error met by the node's own code goes. */
    public FatalErrors fatalErrors() { return fatalErrors; }

    /** The node-wide memory breaker every request's budget reports to. */
    public MemoryBreaker memory() { return memory; }

    private synchronized List<Collection> collectionsNow() { return new ArrayList<>(collections.values()); }

    public NodeConfig config() { return config; }

    /** True when this start created the data directory (the CLI loads its demo then). */
    public boolean isFresh() { return fresh; }

    public String adminToken() { return adminToken; }

    /** The cluster this node is a member of; a {@link dev.strata.node.cluster.LocalFabric} when it runs alone. */
    public dev.strata.node.cluster.ClusterFabric fabric() { return fabric; }

    /** A cluster member's partitioned storage (writes go through its {@code writes()}); null on a node that runs alone. */
    public dev.strata.node.cluster.PartitionedStore partitioned() { return partitioned; }

    /** The query log and the slow-query log. */
    public dev.strata.node.logging.QueryLog queryLog() { return queryLog; }

    /** The node's meters, scraped by {@code GET /metrics}. */
    public dev.strata.node.metrics.NodeMetrics metrics() { return metrics; }

    /** The tokens and the scopes they grant, which the HTTP API checks per route. */
    public dev.strata.node.access.AccessTokens access() { return access; }

    /** True when the admin token was generated by this start (and should be shown once). */
    public boolean tokenGenerated() { return tokenGenerated; }

    public QueryService queries() { return queries; }

    public synchronized List<String> collectionNames() { return List.copyOf(collections.keySet()); }

    /** Collections that could not be opened at start, with why (they answer UNAVAILABLE until dropped or repaired). */
    public synchronized Map<String, String> unopenedCollections() { return Map.copyOf(unopened); }

    /** The collection, or a NOT_FOUND error naming it (UNAVAILABLE when its files could not be opened). */
    public synchronized Collection collection(String name) {
        Collection c = collections.get(name);
        if (c == null && unopened.containsKey(name)) throw new StrataException(ErrorCode.UNAVAILABLE, unopened.get(name));
        if (c == null) throw new StrataException(ErrorCode.NOT_FOUND, "no collection named '" + name + "'");
        return c;
    }

    public synchronized Collection create(String name, Mappings mappings) { return create(name, mappings, 0); }

    /** Creates a collection; {@code maxFields} 0 takes the node's default field limit. */
    public synchronized Collection create(String name, Mappings mappings, int maxFields) {
        Collection.checkName(name);
        if (collections.containsKey(name) || unopened.containsKey(name)) throw new StrataException(ErrorCode.ALREADY_EXISTS, "collection '" + name + "' exists already");
        Collection.Options o = options();
        if (maxFields > 0) o = new Collection.Options(o.durability(), o.checkpointBytes(), o.mergeFactor(), maxFields, o.bufferBytes(), o.bufferWait());
        Collection c = Collection.create(config.dataDir().resolve("collections").resolve(name), name, mappings, o);
        collections.put(name, c);
        return c;
    }

    /** Deletes a collection and its files. */
    public void drop(String name) {
        Collection c;
        synchronized (this) {
            if (unopened.remove(name) != null) {
                Collection.deleteFiles(config.dataDir().resolve("collections").resolve(name));
                health.forget(component(name));
                return;
            }
            c = collection(name);
            collections.remove(name);
        }
        c.discard();
        c.deleteFiles();
        queries.cache().forget(name);
        health.forget(component(c));
    }

    @Override
    public void close() {
        if (partitioned != null) partitioned.close();
        fabric.close(); // leave the cluster first: its partitions move to the other members while this one closes
        // shutdown, not shutdownNow: an interrupt would close a file channel in the middle of a sync.
        refresher.shutdown();
        maintainer.shutdown();
        try {
            refresher.awaitTermination(30, TimeUnit.SECONDS);
            maintainer.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Collection c : collectionsNow()) c.close();
        for (var tier : queries.tiers().providers()) {
            try {
                tier.close();
            } catch (RuntimeException e) {
                LOG.warn("closing the {} tier failed", tier.name(), e);
            }
        }
        try {
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
