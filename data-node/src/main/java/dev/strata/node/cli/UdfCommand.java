package dev.strata.node.cli;

import dev.strata.core.StrataException;
import dev.strata.core.udf.SignatureFile;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code strata udf register|list|describe|unload}: the UDF module registry of a running node. */
@Command(name = "udf", mixinStandardHelpOptions = true, description = "Register, list, describe and unload UDF modules.",
        subcommands = {UdfCommand.Register.class, UdfCommand.ListModules.class, UdfCommand.Describe.class, UdfCommand.Unload.class})
final class UdfCommand implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    /** Where the node is, how to authenticate (see {@link Connection}) and which tier. */
    static final class Target {
        @CommandLine.Mixin Connection node;
        @Option(names = "--tier", defaultValue = "wasm_udf", description = "wasm_udf or python_udf (default: ${DEFAULT-VALUE}).") String tier;

        NodeClient client(boolean admin) { return node.client(admin); }

        String path(String module) {
            return "/udfs/" + NodeClient.enc(tier) + (module == null ? "" : "/" + NodeClient.enc(module));
        }
    }

    private static PrintWriter out() { return new PrintWriter(System.out, true, StandardCharsets.UTF_8); }

    private static void printModule(PrintWriter out, Value.ObjectValue m) {
        out.println(str(m, "name") + " (" + str(m, "tier") + ") version '" + str(m, "version") + "' sha256 " + str(m, "sha256").substring(0, 12)
                + ", " + Json.write(m.get("size_bytes")) + " bytes" + (str(m, "description").isEmpty() ? "" : ": " + str(m, "description")));
        for (Value f : ((Value.ArrayValue) m.get("functions")).elements()) {
            Value.ObjectValue o = (Value.ObjectValue) f;
            out.println("  " + str(o, "name") + " " + str(o, "signature"));
        }
    }

    private static String str(Value.ObjectValue o, String k) { return o.get(k) instanceof Value.StringValue s ? s.value() : ""; }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Register or replace a module from a .wasm, .wat or .py file.")
    static final class Register implements Callable<Integer> {
        @CommandLine.Mixin Target target;
        @Parameters(index = "0", description = "Module name, as used in queries: wasm_udf('NAME.function', ...).") String name;
        @Parameters(index = "1", description = "The module file (.wasm binary or .wat text).") Path file;
        @Option(names = "--signature", description = "FUNCTION=SIGNATURE, e.g. distance='(string, string) -> i32'; repeatable.")
        Map<String, String> signatures = new LinkedHashMap<>();
        @Option(names = "--signatures", paramLabel = "FILE",
                description = "A file of FUNCTION = SIGNATURE lines (# starts a comment), as examples/*/shop.signatures; --signature wins.")
        Path signatureFile;
        @Option(names = "--wasi", description = "WASM: allow WASI preview 1 (no files, environment or network; output captured).") boolean wasi;
        @Option(names = "--in-process", description = "Python: run in the node's JVM instead of isolated workers (trusted code only).") boolean inProcess;
        @Option(names = "--module-version", defaultValue = "", description = "Version text kept with the module.") String version;
        @Option(names = "--description", defaultValue = "", description = "A line saying what the module is for, shown by udf list.") String description;

        @Override
        public Integer call() throws Exception {
            if (!Files.isReadable(file)) throw new StrataMain.CliException(2, "cannot read " + file);
            byte[] bytes = Files.readAllBytes(file);
            String fileName = file.getFileName().toString();
            String format = fileName.endsWith(".wat") ? "wat" : fileName.endsWith(".py") ? "python" : "wasm";
            boolean text = !format.equals("wasm");
            Map<String, Value> body = new LinkedHashMap<>();
            body.put("format", Value.of(format));
            body.put(text ? "content" : "content_base64", Value.of(text ? new String(bytes, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(bytes)));
            body.put("version", Value.of(version));
            body.put("description", Value.of(description));
            Map<String, Value> sigs = new LinkedHashMap<>();
            if (signatureFile != null) readSignatures(signatureFile).forEach((k, v) -> sigs.put(k, Value.of(v)));
            signatures.forEach((k, v) -> sigs.put(k, Value.of(v)));
            body.put("signatures", new Value.ObjectValue(sigs));
            Map<String, Value> options = new LinkedHashMap<>();
            if (wasi) options.put("wasi", Value.TRUE);
            if (inProcess) options.put("mode", Value.of("in_process"));
            body.put("options", new Value.ObjectValue(options));
            NodeClient.Response r = target.client(true).send("PUT", target.path(name), "application/json", Json.write(new Value.ObjectValue(body)));
            Value.ObjectValue m = NodeClient.ok(r);
            PrintWriter out = out();
            out.print(r.status() == 201 ? "registered " : "replaced ");
            printModule(out, m);
            return 0;
        }
    }

    /** Reads a signature file (FUNCTION = SIGNATURE lines); a bad line is reported with the file and line. */
    static Map<String, String> readSignatures(Path file) throws IOException {
        if (!Files.isReadable(file)) throw new StrataMain.CliException(2, "cannot read " + file);
        try {
            return SignatureFile.parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (StrataException e) {
            throw new StrataMain.CliException(2, file + ", " + e.getMessage());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the modules of a tier.")
    static final class ListModules implements Callable<Integer> {
        @CommandLine.Mixin Target target;

        @Override
        public Integer call() {
            Value.ObjectValue r = NodeClient.ok(target.client(false).send("GET", target.path(null), null, null));
            PrintWriter out = out();
            var modules = ((Value.ArrayValue) r.get("modules")).elements();
            if (modules.isEmpty()) out.println("no " + target.tier + " modules");
            for (Value m : modules) printModule(out, (Value.ObjectValue) m);
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Show a module as JSON: functions, exports, instances, counters.")
    static final class Describe implements Callable<Integer> {
        @CommandLine.Mixin Target target;
        @Parameters(index = "0", description = "The module's name.") String name;

        @Override
        public Integer call() {
            out().println(Json.write(NodeClient.ok(target.client(false).send("GET", target.path(name), null, null))));
            return 0;
        }
    }

    @Command(name = "unload", mixinStandardHelpOptions = true, description = "Unload a module (running queries finish on it first).")
    static final class Unload implements Callable<Integer> {
        @CommandLine.Mixin Target target;
        @Parameters(index = "0", description = "The module's name.") String name;

        @Override
        public Integer call() {
            NodeClient.ok(target.client(true).send("DELETE", target.path(name), null, null));
            out().println("unloaded " + name);
            return 0;
        }
    }
}
