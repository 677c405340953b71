package dev.strata.node.cli;

import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.api.ExplainReply;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
        subcommands = {ServeCommand.class, LoadCommand.class, StrataMain.QueryCommand.class, StrataMain.ExplainCommand.class,
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
