package dev.strata.node.cli;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Loads an NDJSON file (or a JSON array) into a collection of a running node through the bulk
 * endpoint, creating the collection if needed, with a progress bar and a final docs/s line.
 */
@Command(name = "load", mixinStandardHelpOptions = true, description = "Load an NDJSON file or a JSON array into a collection.")
final class LoadCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The file: one JSON object per line, or one JSON array.") Path file;
    @Option(names = {"-c", "--collection"}, required = true, description = "The collection to load into (created when missing, with the admin token).")
    String collection;
    @CommandLine.Mixin Connection node;
    @Option(names = "--batch", defaultValue = "5000", description = "Documents per bulk request (default: ${DEFAULT-VALUE}).") int batch;
    @Option(names = "--parallel", defaultValue = "4", description = "Bulk requests in flight at once; writes of one id keep their order"
            + " (default: ${DEFAULT-VALUE}).") int parallel;
    @Option(names = "--retries", defaultValue = "30", description = "How often a bulk the node refuses for now (429 over a memory budget,"
            + " 503 busy) is sent again, waiting 0.5 s, then twice as long each time up to 10 s (default: ${DEFAULT-VALUE}).") int retries;

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(file)) throw new StrataMain.CliException(2, "cannot read " + file);
        NodeClient client = node.client(false);
        String path = "/collections/" + NodeClient.enc(collection);
        NodeClient.Response r = client.send("GET", path, null, null);
        if (r.status() == 404) { // creating it needs the admin scope: --token, STRATA_TOKEN or DATA_DIR/admin.token
            NodeClient admin;
            try {
                admin = node.client(true);
            } catch (StrataMain.CliException e) {
                throw new StrataMain.CliException(2, "collection '" + collection + "' does not exist, and creating it needs the admin token: "
                        + e.getMessage());
            }
            NodeClient.ok(admin.send("PUT", path, null, null));
        } else {
            NodeClient.ok(r);
        }
        long size = Math.max(1, Files.size(file));
        PrintStream err = System.err;
        if (batch < 1 || parallel < 1) throw new StrataMain.CliException(2, "--batch and --parallel must be at least 1");
        long start = System.nanoTime();
        long indexed;
        long failed;
        List<String> firstErrors;
        try (InputStream raw = Files.newInputStream(file);
             CountingStream counted = new CountingStream(raw);
             BufferedReader in = new BufferedReader(new InputStreamReader(counted, StandardCharsets.UTF_8), 1 << 16);
             BulkLanes lanes = new BulkLanes(client, path, batch, parallel, retries, err)) {
            Iterator<String> lines = documents(in);
            long n = 0;
            while (lines.hasNext()) {
                lanes.add(lines.next(), ++n);
                if (n % batch == 0) progress(err, counted.count() * 1.0 / size, lanes.sent(), start);
            }
            lanes.finish();
            progress(err, 1, lanes.sent(), start);
            indexed = lanes.indexed();
            failed = lanes.failed();
            firstErrors = lanes.firstErrors();
        }
        NodeClient.ok(client.send("POST", path + "/refresh", null, null));
        double seconds = (System.nanoTime() - start) / 1e9;
        err.println();
        for (String e : firstErrors) err.println("  " + e);
        System.out.printf("loaded %d documents into %s (%d failed) in %.1f s: %,.0f docs/s%n", indexed, collection, failed,
                seconds, indexed / Math.max(seconds, 1e-9));
        return failed == 0 ? 0 : 2;
    }

    private static void progress(PrintStream err, double fraction, long docs, long start) {
        int width = 30;
        int filled = (int) Math.round(Math.min(1, fraction) * width);
        double seconds = Math.max(1e-9, (System.nanoTime() - start) / 1e9);
        err.printf("\r[%s%s] %3d%% %,d docs %,.0f docs/s", "#".repeat(filled), " ".repeat(width - filled),
                Math.round(Math.min(1, fraction) * 100), docs, docs / seconds);
    }

    /** One JSON document per element: lines of NDJSON, or the items of a top-level array. */
    private static Iterator<String> documents(BufferedReader in) throws Exception {
        in.mark(1 << 16);
        int c;
        do { c = in.read(); } while (c != -1 && Character.isWhitespace(c));
        in.reset();
        if (c == '[') {
            StringBuilder all = new StringBuilder();
            char[] buf = new char[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) all.append(buf, 0, n);
            List<String> docs = new ArrayList<>();
            for (Value v : ((Value.ArrayValue) Json.parse(all.toString())).elements()) docs.add(Json.write(v));
            return docs.iterator();
        }
        return in.lines().filter(l -> !l.isBlank()).iterator();
    }

    /** Counts bytes read, for the progress bar. */
    private static final class CountingStream extends java.io.FilterInputStream {
        private long count;

        CountingStream(InputStream in) { super(in); }

        long count() { return count; }

        @Override
        public int read() throws java.io.IOException {
            int b = super.read();
            if (b >= 0) count++;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n > 0) count += n;
            return n;
        }
    }
}
