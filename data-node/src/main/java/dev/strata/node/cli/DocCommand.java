package dev.strata.node.cli;

import dev.strata.core.value.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata doc get|put|delete}: one document of a running node's collection. */
@Command(name = "doc", mixinStandardHelpOptions = true, description = "Get, put and delete one document.",
        subcommands = {DocCommand.Get.class, DocCommand.Put.class, DocCommand.Delete.class})
final class DocCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    static String path(String collection, String id) { return "/collections/" + NodeClient.enc(collection) + "/docs/" + NodeClient.enc(id); }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Print a document as JSON ({\"_id\", \"_source\"}).")
    static final class Get implements Callable<Integer> {
        @CommandLine.Mixin Connection node;
        @Parameters(index = "0", paramLabel = "COLLECTION", description = "The collection.") String collection;
        @Parameters(index = "1", paramLabel = "ID", description = "The document's _id.") String id;

        @Override
        public Integer call() {
            CollectionCommand.out().println(Json.write(NodeClient.ok(node.client(false).send("GET", path(collection, id), null, null))));
            return 0;
        }
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Write a document (a JSON object), replacing one with the same _id.")
    static final class Put implements Callable<Integer> {
        @CommandLine.Mixin Connection node;
        @Parameters(index = "0", paramLabel = "COLLECTION", description = "The collection.") String collection;
        @Parameters(index = "1", paramLabel = "ID", description = "The document's _id.") String id;
        @Parameters(index = "2", arity = "0..1", paramLabel = "JSON", description = "The document; leave it out to read it from stdin.")
        String json;
        @Option(names = "--refresh", description = "Make it visible to queries before returning.") boolean refresh;

        @Override
        public Integer call() throws IOException {
            String body = json != null ? json : new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            NodeClient.ok(node.client(false).send("PUT", path(collection, id) + (refresh ? "?refresh=true" : ""), "application/json", body));
            CollectionCommand.out().println("put " + id);
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a document.")
    static final class Delete implements Callable<Integer> {
        @CommandLine.Mixin Connection node;
        @Parameters(index = "0", paramLabel = "COLLECTION", description = "The collection.") String collection;
        @Parameters(index = "1", paramLabel = "ID", description = "The document's _id.") String id;
        @Option(names = "--refresh", description = "Make the deletion visible to queries before returning.") boolean refresh;

        @Override
        public Integer call() {
            NodeClient.ok(node.client(false).send("DELETE", path(collection, id) + (refresh ? "?refresh=true" : ""), null, null));
            CollectionCommand.out().println("deleted " + id);
            return 0;
        }
    }
}
