package dev.strata.node.cli;

import dev.strata.core.StrataException;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.api.ExplainReply;
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
import picocli.CommandLine.Parameters;

/**
 * The command line: {@code serve} runs a node with the HTTP API; {@code load}, {@code query} and
 * {@code explain} are clients of a running node. Exit codes: 0 success, 2 a user error (bad
 * query, bad input, unknown collection), 1 anything else.
 */
@Command(name = "strata", mixinStandardHelpOptions = true, version = "Strata 0.1.0",
        description = "A document query engine with expression, WebAssembly and Python tiers.",
        subcommands = {StrataMain.Serve.class, LoadCommand.class, StrataMain.QueryCommand.class, StrataMain.ExplainCommand.class,
                UdfCommand.class, CollectionCommand.class, DocCommand.class})
public final class StrataMain implements Runnable {
    static final String DEMO = "products";
    static final String EXAMPLE = "category = 'phones' AND price * qty > 500 ORDER BY price DESC LIMIT 3";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        CommandLine cl = commandLine();
        try {
            useConfigFile(cl, args);
        } catch (CliException e) {
            cl.getErr().println("strata: " + e.getMessage());
            System.exit(e.exit);
        }
        System.exit(cl.execute(args));
    }

    /** {@code serve --config FILE}: the file's settings become serve's defaults, which flags override. */
    static void useConfigFile(CommandLine cl, String[] args) {
        if (args.length == 0 || !args[0].equals("serve")) return;
        for (int i = 1; i < args.length; i++) {
            String file = args[i].startsWith("--config=") ? args[i].substring("--config=".length())
                    : args[i].equals("--config") && i + 1 < args.length ? args[i + 1] : null;
            if (file == null) continue;
            CommandLine serve = cl.getSubcommands().get("serve");
            serve.setDefaultValueProvider(ConfigFile.load(Path.of(file), serve.getCommandSpec()));
            return;
        }
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new StrataMain());
        // a query may start with '-' (-5 < price): an argument that is no known option is query text
        cl.getSubcommands().get("query").setUnmatchedOptionsArePositionalParams(true);
        cl.getSubcommands().get("explain").setUnmatchedOptionsArePositionalParams(true);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof StrataException s) {
                cmd.getErr().println("strata: " + s.getMessage());
                return 2;
            }
            if (e instanceof CliException c) {
                cmd.getErr().println("strata: " + c.getMessage());
                return c.exit;
            }
            cmd.getErr().println("strata: " + e);
            return 1;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A failure the CLI reports in one line with an exit code. */
    static final class CliException extends RuntimeException {
        final int exit;

        CliException(int exit, String message) {
            super(message);
            this.exit = exit;
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true, description = "Run a data node with the HTTP API.")
    static final class Serve implements Callable<Integer> {
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
                throw new CliException(2, "--log-level: " + e.getMessage());
            }
            String admin = token("admin", adminToken, adminTokenFile);
            String write = token("write", writeToken, writeTokenFile);
            String read = token("read", readToken, readTokenFile);
            requireTokensOffLoopback(host, write, read);
            Collection.Durability d = switch (durability.toLowerCase(Locale.ROOT)) {
                case "sync" -> Collection.Durability.SYNC;
                case "interval" -> Collection.Durability.INTERVAL;
                default -> throw new CliException(2, "--durability must be sync or interval, not '" + durability + "'");
            };
            NodeConfig config = NodeConfig.defaults(dataDir).withDurability(d).withSyncInterval(Duration.ofMillis(syncMillis))
                    .withRefreshInterval(Duration.ofMillis(refreshMillis)).withAdminToken(admin)
                    .withQueryTimeout(Duration.ofMillis(queryTimeoutMillis)).withTierSettings(tiers)
                    .withQueryMemoryBytes(queryMemoryMb << 20).withMaxFieldsPerCollection(maxFields).withExitOnFatalError(true)
                    .withCheckpointBytes(commitLogBytes).toBuilder().defaultPageSize(defaultPageSize).maxPage(maxPage)
                    .writeToken(write).readToken(read).logQueries(logQueries).slowQuery(Duration.ofMillis(slowQueryMillis)).build();
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
            out.println("Strata listening on " + url + " (data: " + node.config().dataDir() + ", durability: "
                    + d.name().toLowerCase(Locale.ROOT) + ", tiers: " + String.join(", ", node.queries().tiers().names()) + ")");
            if (node.tokenGenerated()) {
                out.println("Admin token (generated, saved in " + node.config().dataDir().resolve("admin.token") + "): " + node.adminToken());
            }
            if (demo || node.collectionNames().contains(DEMO)) {
                out.println("Try:");
                out.println("  curl -s '" + url + "/collections/" + DEMO + "/query' -H 'Content-Type: text/plain' --data-binary \""
                        + EXAMPLE + "\"");
            }
            out.println("Press Ctrl-C to stop.");
            stopped.await();
            return 0;
        }
    }

    /** A token given as a value or as a file (not both); null when neither is given. */
    static String token(String scope, String value, Path file) {
        if (value != null && file != null) throw new CliException(2, "give the " + scope + " token or its file, not both");
        if (file == null) return value;
        try {
            String t = java.nio.file.Files.readString(file).trim();
            if (t.isEmpty()) throw new CliException(2, "the " + scope + " token file " + file + " is empty; an empty token would let anyone in");
            return t;
        } catch (java.io.IOException e) {
            throw new CliException(2, "cannot read the " + scope + " token file " + file + ": " + e.getMessage());
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
            throw new CliException(2, "--host " + host + " is not an address this machine can bind");
        }
        if (!loopback && (write == null || read == null)) {
            throw new CliException(2, "refusing to listen on " + host + " without a read and a write token, since anyone who can"
                    + " reach it could otherwise read, change and delete every document: give --read-token and --write-token"
                    + " (or their -file forms), or listen on 127.0.0.1 and put an authenticating proxy in front");
        }
    }

    /** Creates the demo collection from the bundled products (first start only). */
    static void loadDemo(Node node) throws Exception {
        Collection c = node.create(DEMO, new Mappings(Map.of(FieldPath.of("released").columnKey(), ValueKind.DATE)));
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

    /** The query text and where to send it; shared by query and explain. */
    static final class QueryTarget {
        @Parameters(arity = "0..*", description = "The query text (leave it out with --cursor).") List<String> words;
        @Option(names = "--cursor", description = "The page after a previous reply's cursor (printed on stderr as 'next page: --cursor ...').")
        String cursor;
        @Option(names = "--facets", description = "Count the values of these fields (comma-separated) over every match; printed on stderr.")
        String facets;
        @Option(names = {"-c", "--collection"}, defaultValue = DEMO, description = "The collection to query (default: ${DEFAULT-VALUE}).")
        String collection;
        @CommandLine.Mixin Connection node;
        @Option(names = "--scan", description = "Ignore indexes (a full scan).") boolean scan;
        @Option(names = "--strict", description = "Refuse a query naming a field no document has (else: a warning on stderr).")
        boolean strict;

        /** Sends the query; the reply's warnings go to stderr, so stdout keeps only what the command prints. */
        Value.ObjectValue send(boolean explain) {
            boolean hasText = words != null && !words.isEmpty();
            if (hasText == (cursor != null)) throw new CliException(2, "give the query text or --cursor, one of them");
            NodeClient client = node.client(false);
            Value.ObjectValue r = cursor != null ? client.page(collection, cursor, facets)
                    : client.query(collection, String.join(" ", words), explain, scan, strict, facets);
            if (r.get("facets") instanceof Value.ObjectValue f) System.err.println("facets: " + Json.write(f));
            if (r.get("warnings") instanceof Value.ArrayValue w) {
                for (Value v : w.elements()) System.err.println("warning: " + ((Value.StringValue) v).value());
            }
            return r;
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true,
            description = "Run a query on a running node: the hits (or a grouped query's groups) on stdout, one JSON object per line;"
                    + " the count, time and warnings on stderr.")
    static final class QueryCommand implements Callable<Integer> {
        @CommandLine.Mixin QueryTarget target;

        @Override
        public Integer call() throws Exception {
            Value.ObjectValue r = target.send(false);
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            boolean grouped = r.get("groups") instanceof Value.ArrayValue;
            List<Value> rows = ((Value.ArrayValue) r.get(grouped ? "groups" : "hits")).elements();
            for (Value h : rows) out.println(Json.write(h));
            // the summary on stderr: stdout is one JSON hit (or group) per line, ready for jq
            System.err.println(Json.write(r.get("total")) + " matched, " + (grouped ? Json.write(r.get("total_groups")) + " groups, " : "")
                    + rows.size() + " shown, in " + Json.write(r.get("took_ms")) + " ms");
            if (r.get("next") instanceof Value.StringValue next) System.err.println("next page: --cursor " + next.value());
            return 0;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true, description = "Show the plan of a query with estimated and actual counts.")
    static final class ExplainCommand implements Callable<Integer> {
        @CommandLine.Mixin QueryTarget target;

        @Override
        public Integer call() throws Exception {
            Value.ObjectValue r = target.send(true);
            ExplainReply e = ExplainReply.fromJson((Value.ObjectValue) r.get("explain"));
            PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
            out.println("documents " + e.documents() + " in " + e.segments() + " segment(s)");
            for (ExplainReply.Clause c : e.clauses()) {
                String stage = c.position() == null ? ""
                        : String.format(" (#%d; %s ns/row measured, %s static; keeps %s)", c.position(), orNull(c.measuredCost()),
                                orNull(c.staticCost()), orNull(c.actualSelectivity()));
                out.printf("  %-10s %-50s %s estimated %d, actual %d%s%n", c.tier(), c.clause(),
                        c.index() != null ? "index " + c.index() + ";" : "", c.estimated(), c.actual(), stage);
            }
            for (ExplainReply.Udf u : e.udfs()) {
                out.printf("  udf        %s('%s'): %d call(s), %d document(s)%s, %s ms, %d trap(s)%n", u.tier(), u.function(), u.calls(),
                        u.documents(), u.reused() > 0 ? ", " + u.reused() + " reused" : "", u.ms(), u.traps());
            }
            out.println("matched " + e.matched() + " in " + Json.write(r.get("took_ms")) + " ms");
            return 0;
        }

        private static String orNull(Double d) { return d == null ? "null" : String.valueOf(d); }
    }
}
