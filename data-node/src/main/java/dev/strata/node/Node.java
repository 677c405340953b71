package dev.strata.node;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.node.exec.QueryService;
import dev.strata.node.exec.TierRegistry;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
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
 * work (refresh on an interval, log sync in the relaxed mode, merges and checkpoints). Embeddable:
 * tests and benchmarks open one directly; the HTTP server and CLI wrap one.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);

    /**
     * Node settings; {@link #defaults(Path)} gives the embedded defaults.
     *
     * @param queryTimeout each query's deadline (zero: none); UDFs past it are interrupted
     * @param tierSettings settings handed to the tiers by name (see each tier's documentation)
     */
    public record Config(Path dataDir, Collection.Durability durability, Duration syncInterval, Duration refreshInterval,
                         long checkpointBytes, int planCacheSize, String adminToken, Duration queryTimeout,
                         Map<String, String> tierSettings) {
        public Config {
            tierSettings = Map.copyOf(tierSettings);
        }

        public static Config defaults(Path dataDir) {
            return new Config(dataDir, Collection.Durability.SYNC, Duration.ofMillis(200), Duration.ofSeconds(1),
                    256L << 20, 1024, null, Duration.ofSeconds(30), Map.of());
        }

        public Config withDurability(Collection.Durability d) {
            return new Config(dataDir, d, syncInterval, refreshInterval, checkpointBytes, planCacheSize, adminToken, queryTimeout, tierSettings);
        }

        public Config withRefreshInterval(Duration r) {
            return new Config(dataDir, durability, syncInterval, r, checkpointBytes, planCacheSize, adminToken, queryTimeout, tierSettings);
        }

        public Config withSyncInterval(Duration s) {
            return new Config(dataDir, durability, s, refreshInterval, checkpointBytes, planCacheSize, adminToken, queryTimeout, tierSettings);
        }

        public Config withAdminToken(String t) {
            return new Config(dataDir, durability, syncInterval, refreshInterval, checkpointBytes, planCacheSize, t, queryTimeout, tierSettings);
        }

        public Config withCheckpointBytes(long b) {
            return new Config(dataDir, durability, syncInterval, refreshInterval, b, planCacheSize, adminToken, queryTimeout, tierSettings);
        }

        public Config withQueryTimeout(Duration t) {
            return new Config(dataDir, durability, syncInterval, refreshInterval, checkpointBytes, planCacheSize, adminToken, t, tierSettings);
        }

        public Config withTierSettings(Map<String, String> settings) {
            return new Config(dataDir, durability, syncInterval, refreshInterval, checkpointBytes, planCacheSize, adminToken, queryTimeout, settings);
        }

        Config withDataDir(Path dir) {
            return new Config(dir, durability, syncInterval, refreshInterval, checkpointBytes, planCacheSize, adminToken, queryTimeout, tierSettings);
        }
    }

    private final Config config;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final String adminToken;
    private final boolean tokenGenerated;
    private final boolean fresh;
    private final Map<String, Collection> collections = new TreeMap<>();
    private final QueryService queries;
    private final ScheduledExecutorService refresher;
    private final ScheduledExecutorService maintainer;

    private Node(Config config, FileChannel lockChannel, FileLock lock, String adminToken, boolean tokenGenerated, boolean fresh) {
        this.config = config;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.adminToken = adminToken;
        this.tokenGenerated = tokenGenerated;
        this.fresh = fresh;
        this.queries = new QueryService(TierRegistry.load(), config.planCacheSize(), config.queryTimeout());
        this.refresher = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "strata-refresh"));
        this.maintainer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "strata-merge"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Opens (creating if needed) the node in {@code config.dataDir()}; refuses a directory another node holds. */
    public static Node open(Config config) {
        Path dir = config.dataDir().toAbsolutePath().normalize();
        try {
            boolean fresh = !Files.isDirectory(dir.resolve("collections"));
            Files.createDirectories(dir.resolve("collections"));
            FileChannel ch = FileChannel.open(dir.resolve("node.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                throw new StrataException(ErrorCode.INVALID_REQUEST, "the data directory " + dir + " is in use by another Strata node");
            }
            String token = config.adminToken();
            boolean generated = false;
            Path tokenFile = dir.resolve("admin.token");
            if (token == null) {
                if (Files.exists(tokenFile)) {
                    token = Files.readString(tokenFile).trim();
                } else {
                    byte[] b = new byte[24];
                    new SecureRandom().nextBytes(b);
                    token = HexFormat.of().formatHex(b);
                    Files.writeString(tokenFile, token + "\n", StandardCharsets.UTF_8);
                    try {
                        Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));
                    } catch (UnsupportedOperationException e) {
                        // not a POSIX file system; the file stays with default permissions
                    }
                    generated = true;
                }
            }
            Node n = new Node(config.withDataDir(dir), ch, l, token, generated, fresh);
            try {
                n.openTiers();
            } catch (RuntimeException e) {
                l.release();
                ch.close();
                throw e;
            }
            n.loadCollections();
            n.startBackground();
            return n;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the data directory " + dir, e);
        }
    }

    /** Starts each tier with its own directory under {@code udfs/}; UDF tiers load their stored modules here. */
    private void openTiers() throws IOException {
        for (var tier : queries.tiers().providers()) {
            Path d = config.dataDir().resolve("udfs").resolve(tier.name());
            tier.open(new dev.strata.core.spi.TierEnvironment(d, config.tierSettings()));
        }
    }

    private void loadCollections() throws IOException {
        try (var dirs = Files.list(config.dataDir().resolve("collections"))) {
            for (Path d : dirs.filter(p -> Files.exists(p.resolve("collection.json"))).sorted().toList()) {
                Collection c = Collection.open(d, options());
                collections.put(c.name(), c);
                LOG.info("opened collection {} ({} documents)", c.name(), c.snapshot().liveCount());
            }
        }
    }

    private Collection.Options options() {
        return new Collection.Options(config.durability(), config.checkpointBytes(), Collection.Options.DEFAULT.mergeFactor());
    }

    private void startBackground() {
        long refresh = config.refreshInterval().toMillis();
        if (refresh > 0) {
            refresher.scheduleWithFixedDelay(() -> forEach(Collection::refresh), refresh, refresh, TimeUnit.MILLISECONDS);
        }
        if (config.durability() == Collection.Durability.INTERVAL) {
            long sync = Math.max(1, config.syncInterval().toMillis());
            refresher.scheduleWithFixedDelay(() -> forEach(Collection::syncLog), sync, sync, TimeUnit.MILLISECONDS);
        }
        maintainer.scheduleWithFixedDelay(() -> forEach(c -> {
            while (c.maybeMerge()) { /* merge tiers until none is full */ }
            c.checkpoint(config.checkpointBytes());
        }), 1000, 1000, TimeUnit.MILLISECONDS);
    }

    private void forEach(java.util.function.Consumer<Collection> action) {
        for (Collection c : collectionsNow()) {
            try {
                action.accept(c);
            } catch (RuntimeException e) {
                LOG.error("background work on collection {} failed", c.name(), e);
            }
        }
    }

    private synchronized List<Collection> collectionsNow() { return new ArrayList<>(collections.values()); }

    public Config config() { return config; }

    /** True when this start created the data directory (the CLI loads its demo then). */
    public boolean isFresh() { return fresh; }

    public String adminToken() { return adminToken; }

    /** True when the admin token was generated by this start (and should be shown once). */
    public boolean tokenGenerated() { return tokenGenerated; }

    public QueryService queries() { return queries; }

    public synchronized List<String> collectionNames() { return List.copyOf(collections.keySet()); }

    /** The collection, or a NOT_FOUND error naming it. */
    public synchronized Collection collection(String name) {
        Collection c = collections.get(name);
        if (c == null) throw new StrataException(ErrorCode.NOT_FOUND, "no collection named '" + name + "'");
        return c;
    }

    public synchronized Collection create(String name, Mappings mappings) {
        Collection.checkName(name);
        if (collections.containsKey(name)) throw new StrataException(ErrorCode.ALREADY_EXISTS, "collection '" + name + "' exists already");
        Collection c = Collection.create(config.dataDir().resolve("collections").resolve(name), name, mappings, options());
        collections.put(name, c);
        return c;
    }

    /** Deletes a collection and its files. */
    public void drop(String name) {
        Collection c;
        synchronized (this) {
            c = collection(name);
            collections.remove(name);
        }
        c.close();
        c.deleteFiles();
        queries.cache().forget(name);
    }

    @Override
    public void close() {
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
