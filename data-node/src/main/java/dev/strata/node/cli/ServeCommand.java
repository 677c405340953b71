package dev.strata.node.cli;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.health.FatalErrors;
import dev.strata.node.http.HttpApi;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import io.javalin.Javalin;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code strata serve}: a data node with the HTTP API, its settings from flags, a config file and defaults. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a data node with the HTTP API.")
final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Option(names = "--config", paramLabel = "FILE",
            description = "A TOML file of these settings (keys are the long options without dashes, tier settings in"
                    + " [tier-settings]); flags override it.")
    Path config;
    @Option(names = "--print-config", description = "Print the settings in effect as TOML (flags > config file > defaults) and exit.")
    boolean printConfig;
    @Option(names = "--data-dir", defaultValue = "./data", description = "Data directory (default: ${DEFAULT-VALUE}).")
    Path dataDir;
    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (default: ${DEFAULT-VALUE}).")
    String host;
    @Option(names = "--port", defaultValue = "7700", description = "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;
    @Option(names = "--durability", defaultValue = "sync",
            description = "sync: fsync before acknowledging (group commit); interval: fsync every --sync-interval-ms.")
    String durability;
    @Option(names = "--sync-interval-ms", defaultValue = "200",
            description = "With --durability interval: how often the log is fsynced (default: ${DEFAULT-VALUE}).")
    long syncMillis;
    @Option(names = "--refresh-interval-ms", defaultValue = "1000",
            description = "How often writes become visible to queries; 0 disables (refresh by API only).")
    long refreshMillis;
    @Option(names = "--commit-log-bytes", defaultValue = "67108864",
            description = "Log bytes after which a collection commits (bounds what a restart replays; default: ${DEFAULT-VALUE}, 64 MiB)."
                    + " A commit also follows 30 s after any change.")
    long commitLogBytes;
    @Option(names = "--max-body-mb", defaultValue = "100", description = "Largest request body (default: ${DEFAULT-VALUE} MB).")
    long maxBodyMb;
    @Option(names = "--admin-token", description = "Admin token (default: generated at first start, kept in DATA_DIR/admin.token).")
    String adminToken;
    @Option(names = "--admin-token-file", paramLabel = "FILE", description = "Read the admin token from FILE.")
    Path adminTokenFile;
    @Option(names = "--write-token", description = "The token writes need (default: none, writes open; needed off loopback).")
    String writeToken;
    @Option(names = "--write-token-file", paramLabel = "FILE", description = "Read the write token from FILE.")
    Path writeTokenFile;
    @Option(names = "--read-token", description = "The token reads need (default: none, reads open; needed off loopback).")
    String readToken;
    @Option(names = "--read-token-file", paramLabel = "FILE", description = "Read the read token from FILE.")
    Path readTokenFile;
    @Option(names = "--no-demo", description = "Do not create the demo collection on first start.")
    boolean noDemo;
    @Option(names = "--query-timeout-ms", defaultValue = "30000",
            description = "Each query's deadline; UDFs past it are interrupted (default: ${DEFAULT-VALUE}; 0 = none).")
    long queryTimeoutMillis;
    @Option(names = "--query-memory-mb", defaultValue = "0",
            description = "What one query may hold of the heap (UDF results, sort buffers, hits, the reply); 0 = a quarter of the heap.")
    long queryMemoryMb;
    @Option(names = "--max-fields", defaultValue = "1000",
            description = "Distinct field paths a new collection accepts (default: ${DEFAULT-VALUE}); a collection may set its own at creation.")
    int maxFields;
    @Option(names = "--default-page-size", defaultValue = "10",
            description = "Hits a query returns when it has no LIMIT (default: ${DEFAULT-VALUE}).")
    int defaultPageSize;
    @Option(names = "--max-page", defaultValue = "10000",
            description = "How deep OFFSET plus LIMIT may reach (default: ${DEFAULT-VALUE}); deeper pages use the reply's \"next\" cursor.")
    int maxPage;
    @Option(names = "--cluster", paramLabel = "FABRIC",
            description = "Join a cluster through this fabric (hazelcast, with the cluster-hazelcast module); default: a single node.")
    String fabric;
    @Option(names = "--cluster-name", defaultValue = "strata", description = "Members join only a cluster of this name (default: ${DEFAULT-VALUE}).")
    String clusterName;
    @Option(names = "--cluster-host", defaultValue = "127.0.0.1",
            description = "The address members reach this one at (default: ${DEFAULT-VALUE}); keep it on a private network.")
    String clusterHost;
    @Option(names = "--cluster-port", defaultValue = "5701", description = "The port members talk on (default: ${DEFAULT-VALUE}).")
    int clusterPort;
    @Option(names = "--cluster-seeds", paramLabel = "HOST:PORT,...", split = ",",
            description = "Members to join (comma-separated host:port); default: this member alone.")
    java.util.List<String> clusterSeeds = new java.util.ArrayList<>();
    @Option(names = "--partitions", defaultValue = "71", description = "Partitions documents spread over, the same on every member (default: ${DEFAULT-VALUE}).")
    int partitions;
    @Option(names = "--backups", defaultValue = "1", description = "Synchronous copies of each partition on other members, 0 or 1 (default: ${DEFAULT-VALUE}).")
    int backups;

    @Option(names = "--cluster-retry-ms", defaultValue = "60000",
            description = "How long a request retries work whose partition is moving or whose member just left, before UNAVAILABLE (default: ${DEFAULT-VALUE}).")
    long clusterRetryMillis;
    @Option(names = "--quorum", defaultValue = "0",
            description = "The fewest members a side of a split needs to accept writes (default: ${DEFAULT-VALUE}, none; 2 for 3 members).")
    int quorum;
    @Option(names = "--log-level", defaultValue = "info",
            description = "error, warn, info, debug or trace (default: ${DEFAULT-VALUE}); logs are JSON lines on stdout.")
    String logLevel;
    @Option(names = "--log-queries", description = "Log every query (logger strata.query): text, plan, counts and timings.")
    boolean logQueries;
    @Option(names = "--slow-query-ms", defaultValue = "1000",
            description = "Log each query that takes at least this long (logger strata.slow_query; default: ${DEFAULT-VALUE}; 0 = never).")
    long slowQueryMillis;
    @Option(names = "--tier-setting", description = "A tier setting NAME=VALUE, e.g. wasm.memory.max-pages=512; repeatable.")
    Map<String, String> tierSettings = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Map<String, String> tiers = new java.util.LinkedHashMap<>();
        if (spec.commandLine().getDefaultValueProvider() instanceof ConfigFile file) tiers.putAll(file.tierSettings());
        tiers.putAll(tierSettings);
        if (printConfig) {
            Map<String, String> effective = new java.util.LinkedHashMap<>();
            for (String key : ConfigFile.settings(spec)) {
                Object v = spec.findOption("--" + key).getValue();
                effective.put(key, v == null ? null : v.toString());
            }
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            out.print(ConfigFile.print(effective, tiers));
            out.flush();
            return 0;
        }
        try {
            dev.strata.node.logging.Logs.setLevel(logLevel);
        } catch (IllegalArgumentException e) {
            throw new StrataMain.CliException(2, "--log-level: " + e.getMessage());
        }
        String admin = token("admin", adminToken, adminTokenFile);
        String write = token("write", writeToken, writeTokenFile);
        String read = token("read", readToken, readTokenFile);
        requireTokensOffLoopback(host, write, read);
        Collection.Durability d = switch (durability.toLowerCase(Locale.ROOT)) {
            case "sync" -> Collection.Durability.SYNC;
            case "interval" -> Collection.Durability.INTERVAL;
            default -> throw new StrataMain.CliException(2, "--durability must be sync or interval, not '" + durability + "'");
        };
        NodeConfig config = NodeConfig.defaults(dataDir).withDurability(d).withSyncInterval(Duration.ofMillis(syncMillis))
                .withRefreshInterval(Duration.ofMillis(refreshMillis)).withAdminToken(admin)
                .withQueryTimeout(Duration.ofMillis(queryTimeoutMillis)).withTierSettings(tiers)
                .withQueryMemoryBytes(queryMemoryMb << 20).withMaxFieldsPerCollection(maxFields).withExitOnFatalError(true)
                .withCheckpointBytes(commitLogBytes).toBuilder().defaultPageSize(defaultPageSize).maxPage(maxPage)
                .writeToken(write).readToken(read).logQueries(logQueries).slowQuery(Duration.ofMillis(slowQueryMillis))
                .cluster(fabric, fabric == null ? null : new dev.strata.node.cluster.ClusterSettings(clusterName, clusterHost, clusterPort,
                        false, clusterSeeds, partitions, backups, quorum, Duration.ofMillis(clusterRetryMillis)))
                .build();
        Node node = Node.open(config);
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            if (FatalErrors.isFatal(e)) node.fatalErrors().handle(e, "thread " + t.getName());
            else LoggerFactory.getLogger(StrataMain.class).error("thread {} died", t.getName(), e);
        });
        boolean demo = false;
        if (node.isFresh() && !noDemo) {
            loadDemo(node);
            demo = true;
        }
        Javalin app = HttpApi.create(node, new HttpApi.Settings(host, port, maxBodyMb << 20)).start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.stop();
            node.close();
            stopped.countDown();
        }, "strata-shutdown"));
        String url = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + app.port();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        if (fabric != null) {
            out.println("Cluster member " + node.fabric().localMember().address() + " of " + node.fabric().members().size()
                    + " (cluster '" + clusterName + "', " + partitions + " partitions, " + backups + " backup(s), quorum " + quorum + ")");
        }
        out.println("Strata listening on " + url + " (data: " + node.config().dataDir() + ", durability: "
                + d.name().toLowerCase(Locale.ROOT) + ", tiers: " + String.join(", ", node.queries().tiers().names()) + ")");
        if (node.tokenGenerated()) {
            out.println("Admin token (generated, saved in " + node.config().dataDir().resolve("admin.token") + "): " + node.adminToken());
        }
        if (demo || node.collectionNames().contains(StrataMain.DEMO)) {
            out.println("Try:");
            out.println("  curl -s '" + url + "/collections/" + StrataMain.DEMO + "/query' -H 'Content-Type: text/plain' --data-binary \""
                    + StrataMain.EXAMPLE + "\"");
        }
        out.println("Press Ctrl-C to stop.");
        stopped.await();
        return 0;
    }

    /** A token given as a value or as a file (not both); null when neither is given. */
    static String token(String scope, String value, Path file) {
        if (value != null && file != null) throw new StrataMain.CliException(2, "give the " + scope + " token or its file, not both");
        if (file == null) return value;
        try {
            String t = java.nio.file.Files.readString(file).trim();
            if (t.isEmpty()) throw new StrataMain.CliException(2, "the " + scope + " token file " + file + " is empty; an empty token would let anyone in");
            return t;
        } catch (java.io.IOException e) {
            throw new StrataMain.CliException(2, "cannot read the " + scope + " token file " + file + ": " + e.getMessage());
        }
    }

    /**
     * A node that listens on anything but loopback must guard reads and writes: without a read and
     * a write token, anyone who can reach the address could read, change and delete every document.
     */
    static void requireTokensOffLoopback(String host, String write, String read) {
        boolean loopback;
        try {
            loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            throw new StrataMain.CliException(2, "--host " + host + " is not an address this machine can bind");
        }
        if (!loopback && (write == null || read == null)) {
            throw new StrataMain.CliException(2, "refusing to listen on " + host + " without a read and a write token, since anyone who can"
                    + " reach it could otherwise read, change and delete every document: give --read-token and --write-token"
                    + " (or their -file forms), or listen on 127.0.0.1 and put an authenticating proxy in front");
        }
    }

    /** Creates the demo collection from the bundled products (first start only). */
    static void loadDemo(Node node) throws Exception {
        Collection c = node.create(StrataMain.DEMO, new Mappings(Map.of(FieldPath.of("released").columnKey(), ValueKind.DATE)));
        List<Collection.Document> docs = new ArrayList<>();
        try (InputStream in = StrataMain.class.getResourceAsStream("/demo/products.ndjson");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) docs.add(Collection.document(Json.parseDocument(line)));
            }
        }
        c.putAll(docs);
        c.refresh();
    }
}
