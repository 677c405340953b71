package dev.strata.it;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.NodeConfig;
import dev.strata.node.http.HttpApi;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real node with the real HTTP server on a random port, and a small client for it. */
final class TestNode implements AutoCloseable, QueryClient {
    static final String TOKEN = "test-admin-token";

    final Node node;
    final Javalin app;
    final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    TestNode(Path dir) { this(dir, 1 << 20); }

    TestNode(Path dir, long maxBody) { this(dir, maxBody, c -> c); }

    /** A node whose configuration {@code tweak} adjusts (query timeout, tier settings). */
    TestNode(Path dir, long maxBody, java.util.function.UnaryOperator<NodeConfig> tweak) {
        node = Node.open(tweak.apply(NodeConfig.defaults(dir).withAdminToken(TOKEN).withRefreshInterval(Duration.ofMillis(100))));
        app = HttpApi.create(node, new HttpApi.Settings("127.0.0.1", 0, maxBody)).start();
        base = "http://127.0.0.1:" + app.port();
    }

    record Response(int status, Value.ObjectValue json, String raw) {
        Value get(String... path) {
            Value v = json;
            for (String p : path) v = v instanceof Value.ObjectValue o ? o.get(p) : null;
            return v;
        }

        String error() { return ((Value.StringValue) get("error", "code")).value(); }

        /** The error's message; fails if there is none. */
        String message() {
            if (!(get("error", "message") instanceof Value.StringValue m)) throw new AssertionError("no error message in " + raw);
            return m.value();
        }

        /** The ids of the hits, in order; fails unless the query answered 200. */
        java.util.List<String> ids() {
            if (status != 200) throw new AssertionError("expected 200, got " + status + ": " + raw);
            java.util.List<String> out = new java.util.ArrayList<>();
            for (Value h : ((Value.ArrayValue) get("hits")).elements()) {
                out.add(((Value.StringValue) ((Value.ObjectValue) h).get("_id")).value());
            }
            return out;
        }
    }

    Response send(String method, String path, String contentType, String body, boolean admin) {
        return exchange(http, base, admin ? TOKEN : null, method, path, contentType, body, () -> "");
    }

    /** One request with {@code token} (null: none). */
    Response sendWith(String token, String method, String path, String contentType, String body) {
        return exchange(http, base, token, method, path, contentType, body, () -> "");
    }

    /**
     * One request to a node at {@code base}, with {@code token} when it is not null;
     * a request that fails outright is an AssertionError carrying {@code context} (the node's output).
     */
    static Response exchange(HttpClient http, String base, String token, String method, String path, String contentType, String body,
                             java.util.function.Supplier<String> context) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Await.PATIENCE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Value v = r.body().isEmpty() ? new Value.ObjectValue(Map.of()) : Json.parse(r.body());
            return new Response(r.statusCode(), (Value.ObjectValue) v, r.body());
        } catch (Exception e) {
            throw new AssertionError(method + " " + path + " failed" + context.get(), e);
        }
    }

    @Override
    public Response get(String path) { return send("GET", path, null, null, false); }

    /** Polls {@code path} until {@code done} holds for its response (long ceiling: {@link Await#PATIENCE}). */
    Response await(String path, java.util.function.Predicate<Response> done) {
        return Await.until(base + path, () -> get(path), done);
    }

    Response json(String method, String path, String body) { return send(method, path, "application/json", body, false); }

    @Override
    public Response query(String collection, String text) {
        return send("POST", "/collections/" + collection + "/query", "text/plain", text, false);
    }

    void createCollection(String name, String settings) {
        Response r = send("PUT", "/collections/" + name, settings == null ? null : "application/json", settings, true);
        if (r.status() != 201) throw new AssertionError("create failed: " + r.raw());
    }

    @Override
    public void close() {
        app.stop();
        node.close();
    }
}
