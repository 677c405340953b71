package dev.strata.bench.storage;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A data node in its own process, started as {@code ./strata run} starts it (same main class and
 * flags, the bench's class path), so its heap and resident memory are its own.
 */
final class NodeProcess implements AutoCloseable {
    static final String TOKEN = "bench-token";
    private static final Pattern LISTENING = Pattern.compile("(http://127\\.0\\.0\\.1:\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    final Process process;
    final String url;
    final long startedNanos;

    private NodeProcess(Process process, String url, long startedNanos) {
        this.process = process;
        this.url = url;
        this.startedNanos = startedNanos;
    }

    static List<String> java(List<String> jvm, String main, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-XX:+ExitOnOutOfMemoryError"));
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
        cmd.addAll(args);
        return cmd;
    }

    /** Starts {@code serve} on {@code dataDir} and waits until it listens. */
    static NodeProcess start(Path dataDir, List<String> jvm) throws IOException { return start(dataDir, jvm, List.of()); }

    /** Starts {@code serve} on {@code dataDir} with more options ({@code serve} takes them after its own), and waits until it listens. */
    static NodeProcess start(Path dataDir, List<String> jvm, List<String> options) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dataDir.getParent()); // its log goes beside it
        List<String> args = new ArrayList<>(List.of("serve", "--data-dir", dataDir.toString(), "--port", "0", "--no-demo", "--admin-token", TOKEN));
        args.addAll(options);
        Process p = new ProcessBuilder(java(jvm, "dev.strata.node.cli.StrataMain", args)).redirectErrorStream(true).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        Thread drain = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var out = Files.newBufferedWriter(log, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                         java.nio.file.StandardOpenOption.APPEND)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.newLine();
                    Matcher m = LISTENING.matcher(line);
                    if (!url.isDone() && line.contains("listening") && m.find()) url.complete(m.group(1));
                }
            } catch (IOException ignored) {
                // the process ended
            }
            url.completeExceptionally(new IllegalStateException("the node exited before it listened; see " + log));
        }, "node-output");
        drain.setDaemon(true);
        drain.start();
        try {
            return new NodeProcess(p, url.get(10, TimeUnit.MINUTES), t0);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("the node did not start: " + e.getMessage() + " (log: " + log + ")", e);
        }
    }

    record Response(int status, Value.ObjectValue body) {}

    Response send(String method, String path, String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + TOKEN);
        if (contentType != null) b.header("Content-Type", contentType);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        Value v = r.body().isEmpty() ? Value.NULL : Json.parse(r.body());
        return new Response(r.statusCode(), v instanceof Value.ObjectValue o ? o : null);
    }

    /** Loads {@code file} ({@code n} documents) into {@code collection} with {@code strata load}; returns the seconds it took. */
    double load(Path file, long n, String collection) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process load = new ProcessBuilder(java(List.of(), "dev.strata.node.cli.StrataMain", List.of("load", file.toString(),
                "-c", collection, "--url", url, "--token", TOKEN))).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(load.getInputStream().readAllBytes());
        if (load.waitFor() != 0) throw new IllegalStateException("strata load failed: " + out);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Matcher m = Pattern.compile("loaded (\\d+) documents").matcher(out);
        if (!m.find() || Long.parseLong(m.group(1)) != n) throw new IllegalStateException("strata load did not load every document: " + out);
        return seconds;
    }

    /** Runs a query (path and query string after the collection's {@code /query}); returns the reply, or throws with the node's answer. */
    Value.ObjectValue query(String collection, String params) throws IOException, InterruptedException {
        Response r = send("GET", "/collections/" + collection + "/query?" + params, null, null);
        if (r.status() != 200) throw new IllegalStateException("query " + params + " answered " + r.status() + ": " + r.body());
        return r.body();
    }

    /** Runs a query; returns its total, or throws with the node's answer. */
    long total(String collection, String query) throws IOException, InterruptedException {
        Response r = send("GET", "/collections/" + collection + "/query?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8), null, null);
        if (r.status() != 200) throw new IllegalStateException("query " + query + " answered " + r.status() + ": " + r.body());
        return ((Value.IntValue) r.body().get("total")).value();
    }

    /** Heap in use right after a full collection (jcmd GC.run, then the node's own /stats). */
    long heapAfterFullGc() throws IOException, InterruptedException {
        for (int i = 0; i < 2; i++) {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                    Long.toString(process.pid()), "GC.run").redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            if (gc.waitFor() != 0) throw new IllegalStateException("jcmd GC.run failed");
        }
        Response r = send("GET", "/stats", null, null);
        return ((Value.IntValue) ((Value.ObjectValue) r.body().get("memory")).get("heap_used_bytes")).value();
    }

    /** Resident set size now, from /proc. */
    long rss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    /** Resident set size once it stops shrinking after a collection (G1 gives memory back concurrently), read every second for up to 30 s. */
    long rssSettled() throws IOException, InterruptedException {
        long last = rss();
        for (int i = 0; i < 30; i++) {
            Thread.sleep(1000);
            long now = rss();
            if (Math.abs(now - last) < last / 100) return now;
            last = now;
        }
        return last;
    }

    /** The largest resident set size so far (VmHWM), from /proc. */
    long rssPeak() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
        throw new IllegalStateException("no VmHWM for " + process.pid());
    }

    /** Stops the node as a supervisor would (SIGTERM: it commits and closes) and waits. */
    void stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.MINUTES)) throw new IllegalStateException("the node did not stop within 10 minutes");
    }

    /** Ends the node without warning (SIGKILL). */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}
