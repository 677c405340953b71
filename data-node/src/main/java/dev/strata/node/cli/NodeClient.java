package dev.strata.node.cli;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.util.List;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The CLI's HTTP client for a running node. Errors become one-line {@link StrataMain.CliException}s. */
final class NodeClient {
    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    NodeClient(String url, String token) {
        this.base = baseUrl(url);
        this.token = token;
    }

    /**
     * The node's base URL from what a user types: {@code http://host:port}, {@code https://...},
     * or {@code host:port} and {@code host} alone (http is meant); a trailing slash is dropped.
     */
    static String baseUrl(String url) {
        String u = url.strip();
        if (!u.contains("://")) u = "http://" + u;
        while (u.endsWith("/")) u = u.substring(0, u.length() - 1);
        try {
            URI parsed = URI.create(u);
            if (!("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme())) || parsed.getHost() == null
                    || parsed.getRawPath() != null && !parsed.getRawPath().isEmpty()) {
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException e) {
            throw new StrataMain.CliException(2, "--url " + url + " is not a node's address; give host:port or http://host:port");
        }
        return u;
    }

    record Response(int status, Value.ObjectValue body) {}

    Response send(String method, String path, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(5))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) b.header("Content-Type", contentType);
        if (token != null) b.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            Value v = r.body().isEmpty() ? new Value.ObjectValue(java.util.Map.of()) : Json.parse(r.body());
            return new Response(r.statusCode(), (Value.ObjectValue) v);
        } catch (ConnectException e) {
            throw new StrataMain.CliException(1, "no Strata node at " + base + " (start one with ./strata run)");
        } catch (IOException e) {
            throw new StrataMain.CliException(1, "request to " + base + path + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataMain.CliException(1, "interrupted");
        }
    }

    /** Throws the node's error message (exit 2 for a 4xx) unless the status is 2xx. */
    static Value.ObjectValue ok(Response r) {
        if (r.status() / 100 == 2) return r.body();
        String message = r.body().get("error") instanceof Value.ObjectValue e && e.get("message") instanceof Value.StringValue s
                ? s.value() : "HTTP " + r.status();
        if (r.body().get("error") instanceof Value.ObjectValue e && e.get("line") instanceof Value.IntValue line) {
            message += " at line " + line.value() + ", column " + Json.write(e.get("column"));
        }
        throw new StrataMain.CliException(r.status() / 100 == 4 ? 2 : 1, message);
    }

    Value.ObjectValue query(String collection, String text, boolean explain, boolean scan, boolean strict, String facets) {
        List<String> params = new java.util.ArrayList<>();
        if (scan) params.add("scan=true");
        if (strict) params.add("strict=true");
        if (facets != null) params.add("facets=" + enc(facets));
        String path = "/collections/" + enc(collection) + (explain ? "/explain" : "/query") + (params.isEmpty() ? "" : "?" + String.join("&", params));
        return ok(send("POST", path, "text/plain; charset=utf-8", text));
    }

    /** The page after a cursor from an earlier reply. */
    Value.ObjectValue page(String collection, String cursor, String facets) {
        return ok(send("GET", "/collections/" + enc(collection) + "/query?cursor=" + enc(cursor)
                + (facets == null ? "" : "&facets=" + enc(facets)), null, null));
    }

    static String enc(String s) { return URLEncoder.encode(s, StandardCharsets.UTF_8); }
}
