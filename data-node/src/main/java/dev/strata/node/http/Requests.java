package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;

/** The edge of every endpoint: reading requests (content types, JSON bodies, parameters, the admin token) and sending JSON. */
final class Requests {
    private Requests() {}

    static void send(Context ctx, int status, JsonOut body) {
        ctx.status(status).contentType("application/json").result(Json.write(body.build()));
    }

    static void requireAdmin(Node node, Context ctx) {
        String given = ctx.header("X-Strata-Token");
        String auth = ctx.header("Authorization");
        if (given == null && auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) given = auth.substring(7).trim();
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                node.adminToken().getBytes(StandardCharsets.UTF_8))) {
            throw new StrataException(ErrorCode.UNAUTHORIZED, "this endpoint needs the admin token: send 'Authorization: Bearer <token>'"
                    + " (the token is in " + node.config().dataDir().resolve("admin.token") + ")");
        }
    }

    /** Checks the body's media type against what the endpoint reads; an absent type is accepted. */
    static void requireContentType(Context ctx, Set<String> accepted) {
        String ct = ctx.contentType();
        if (ct == null || ct.isBlank()) return;
        String base = ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!accepted.contains(base)) {
            throw new StrataException(ErrorCode.WRONG_CONTENT_TYPE, "content type '" + base + "' is not accepted here; send "
                    + String.join(" or ", accepted.stream().sorted().toList()));
        }
    }

    static final Set<String> JSON = Set.of("application/json");
    static final Set<String> BULK = Set.of("application/x-ndjson", "application/json", "text/plain");
    // curl --data-binary labels a body as a form without encoding it: read it as the query text.
    static final Set<String> QUERY = Set.of("text/plain", "application/json", "application/x-www-form-urlencoded");

    static Value.ObjectValue jsonObject(Context ctx, String what) {
        String body = ctx.body();
        if (body.isBlank()) throw new StrataException(ErrorCode.INVALID_JSON, what + " is missing: the body is empty");
        Value v = Json.parse(body);
        if (!(v instanceof Value.ObjectValue o)) {
            throw new StrataException(ErrorCode.INVALID_JSON, what + " must be a JSON object, not " + v.kind().display());
        }
        return o;
    }

    /** {@code ?timeout_ms=N}: this query's deadline when shorter than the node's; 0 when absent. */
    static long timeoutMillis(Context ctx) {
        String v = ctx.queryParam("timeout_ms");
        if (v == null) return 0;
        try {
            long ms = Long.parseLong(v.trim());
            if (ms >= 1) return ms;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new StrataException(ErrorCode.INVALID_REQUEST, "parameter 'timeout_ms' must be a positive number of milliseconds, not '" + v + "'");
    }

    static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return false;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new StrataException(ErrorCode.INVALID_REQUEST, "parameter '" + name + "' must be true or false, not '" + v + "'");
        };
    }
}
