package dev.strata.it;

import dev.strata.core.value.Value;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real node in its own JVM ({@code strata serve}), started with the JVM flags a test chooses
 * (a small heap, say), and a small HTTP client for it. Waits poll for conditions with long
 * ceilings ({@link #PATIENCE}), so a loaded machine is slower, never failing.
 */
final class ChildNode implements AutoCloseable, QueryClient {
    static final Duration PATIENCE = Await.PATIENCE;
    static final String TOKEN = "child-node-token";
    private static final Pattern LISTENING = Pattern.compile("Strata listening on (http://\\S+)");

    final Process process;
    final String url;
    private final Deque<String> output;
    private final HttpClient http = HttpClient.newHttpClient();

    private ChildNode(Process process, String url, Deque<String> output) {
        this.process = process;
        this.url = url;
        this.output = output;
    }

    /** Starts {@code serve} on {@code dir} (no demo, a fixed admin token, a random port) with extra JVM and node arguments. */
    static ChildNode start(Path dir, List<String> jvm, String... nodeArgs) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(jvm);
        cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "dev.strata.node.cli.StrataMain", "serve", "--data-dir", dir.toString(), "--port", "0", "--no-demo",
                "--admin-token", TOKEN));
        cmd.addAll(List.of(nodeArgs));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot start a node", e);
        }
        Deque<String> lines = new ArrayDeque<>();
        String[] url = {null};
        Thread drain = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (lines) {
                        lines.addLast(line);
                        if (lines.size() > 400) lines.removeFirst();
                        Matcher m = LISTENING.matcher(line);
                        if (m.find()) {
                            url[0] = m.group(1);
                            lines.notifyAll();
                        }
                    }
                }
            } catch (java.io.IOException e) {
                // the node is gone
            }
        }, "child-node-output");
        drain.setDaemon(true);
        drain.start();
        long until = System.nanoTime() + PATIENCE.toNanos();
        synchronized (lines) {
            while (url[0] == null && p.isAlive() && System.nanoTime() < until) {
                try {
                    lines.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (url[0] == null) {
            p.destroyForcibly();
            throw new AssertionError("the node did not start:\n" + String.join("\n", lines));
        }
        return new ChildNode(p, url[0], lines);
    }

    long pid() { return process.pid(); }

    /** The node's last lines of output, for failure messages. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    TestNode.Response send(String method, String path, String contentType, String body, boolean admin) {
        return TestNode.exchange(http, url, admin ? TOKEN : null, method, path, contentType, body, () -> "; the node said:\n" + output());
    }

    @Override
    public TestNode.Response get(String path) { return send("GET", path, null, null, false); }

    @Override
    public TestNode.Response query(String collection, String text) {
        return send("POST", "/collections/" + collection + "/query", "text/plain", text, false);
    }

    void createCollection(String name, String settings) {
        TestNode.Response r = send("PUT", "/collections/" + name, settings == null ? null : "application/json", settings, true);
        if (r.status() != 201) throw new AssertionError("create failed: " + r.raw());
    }

    /** Polls {@code path} until {@code done} holds for its response; fails after {@link #PATIENCE} with the last response. */
    TestNode.Response await(String path, Predicate<TestNode.Response> done) {
        return Await.until(url + path, () -> get(path), done);
    }

    /** Waits until {@code /health} answers 200 "ok". */
    TestNode.Response awaitHealthy() { return await("/health", r -> r.status() == 200); }

    /** Heap live after a full collection, as the node reports it once {@code jcmd GC.run} has made one. */
    long liveHeapAfterGc() {
        try {
            Process gc = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid()), "GC.run")
                    .redirectErrorStream(true).start();
            gc.getInputStream().readAllBytes();
            if (!gc.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)) throw new AssertionError("jcmd GC.run did not finish");
        } catch (java.io.IOException e) {
            throw new AssertionError("cannot run jcmd", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return ((Value.IntValue) get("/stats").get("memory", "heap_live_bytes")).value();
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        waitGone(process.toHandle());
    }

    static void waitGone(ProcessHandle h) {
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (h.isAlive() && System.nanoTime() < until) Await.sleep(100);
        if (h.isAlive()) throw new AssertionError("process " + h.pid() + " is still alive after " + PATIENCE);
    }

    /** Stops the node the way a supervisor does (SIGTERM: the shutdown hook closes it), and waits. */
    @Override
    public void close() {
        process.destroy();
        long until = System.nanoTime() + PATIENCE.toNanos();
        while (process.isAlive() && System.nanoTime() < until) Await.sleep(100);
        if (process.isAlive()) process.destroyForcibly();
    }
}
