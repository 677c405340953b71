package dev.strata.node.cli;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata collection create|drop|list}: the collections of a running node. */
@Command(name = "collection", mixinStandardHelpOptions = true, description = "Create, drop and list collections.",
        subcommands = {CollectionCommand.Create.class, CollectionCommand.Drop.class, CollectionCommand.ListAll.class})
final class CollectionCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    static PrintWriter out() { return new PrintWriter(System.out, true, StandardCharsets.UTF_8); }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a collection (admin).")
    static final class Create implements Callable<Integer> {
        @CommandLine.Mixin Connection node;
        @Parameters(index = "0", paramLabel = "NAME", description = "The collection's name.") String name;
        @Option(names = "--map", paramLabel = "FIELD=TYPE",
                description = "Map a field to date or timestamp (ISO strings compare as dates), e.g. released=date; repeatable.")
        Map<String, String> mappings = new LinkedHashMap<>();

        @Override
        public Integer call() {
            Map<String, Value> m = new LinkedHashMap<>();
            mappings.forEach((k, v) -> m.put(k, Value.of(v)));
            String body = m.isEmpty() ? null : Json.write(new Value.ObjectValue(Map.of("mappings", new Value.ObjectValue(m))));
            NodeClient.ok(node.client(true).send("PUT", "/collections/" + NodeClient.enc(name), body == null ? null : "application/json", body));
            out().println("created collection " + name);
            return 0;
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true, description = "Drop a collection with all its documents (admin).")
    static final class Drop implements Callable<Integer> {
        @CommandLine.Mixin Connection node;
        @Parameters(index = "0", paramLabel = "NAME", description = "The collection's name.") String name;
        @Option(names = "--yes", description = "Confirm: every document of the collection is deleted, with no way back.") boolean yes;

        @Override
        public Integer call() {
            if (!yes) throw new StrataMain.CliException(2, "dropping " + name + " deletes all its documents; add --yes to confirm");
            NodeClient.ok(node.client(true).send("DELETE", "/collections/" + NodeClient.enc(name), null, null));
            out().println("dropped collection " + name);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the collections: name, documents, segments and fields, one per line.")
    static final class ListAll implements Callable<Integer> {
        @CommandLine.Mixin Connection node;

        @Override
        public Integer call() {
            NodeClient client = node.client(false);
            Value.ObjectValue all = NodeClient.ok(client.send("GET", "/collections", null, null));
            PrintWriter out = out();
            for (Value n : ((Value.ArrayValue) all.get("collections")).elements()) {
                String name = ((Value.StringValue) n).value();
                Value.ObjectValue c = NodeClient.ok(client.send("GET", "/collections/" + NodeClient.enc(name), null, null));
                out.println(name + "\t" + Json.write(c.get("documents")) + " documents\t" + Json.write(c.get("segments")) + " segments\t"
                        + String.join(",", ((Value.ObjectValue) c.get("fields")).fields().keySet()));
            }
            return 0;
        }
    }
}
