package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.storage.Collection;
import dev.strata.node.Node;
import io.javalin.http.Context;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** The edge of every endpoint: reading requests (content types, JSON bodies, parameters, the admin token) and sending JSON. */
final class Requests {
    private Requests() {}

    /**
     * Reads and drops up to {@code max} bytes of a request body nobody will parse (a bulk refused
     * before it is read): the client is still sending it, and a connection closed under it would
     * hide the reply. Nothing is kept, so the memory a refusal protects stays free.
     */
    static void discardBody(Context ctx, long max) {
        try {
            java.io.InputStream in = ctx.req().getInputStream();
            byte[] sink = new byte[64 << 10];
            long left = max;
            int r;
            while (left > 0 && (r = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) left -= r;
        } catch (java.io.IOException ignored) {
            // the client went away: nothing to answer
        }
    }

    static void send(Context ctx, int status, JsonOut body) {
        ctx.status(status).contentType("application/json").result(Json.write(body.build()));
    }

    /**
     * The token a request carries: {@code Authorization: Bearer <token>}, or {@code X-Strata-Token}
     * when there is no Authorization header; null for none.
     */
    static String token(Context ctx) {
        String auth = ctx.header("Authorization");
        if (auth != null) return auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        return ctx.header("X-Strata-Token");
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

    /**
     * The body as text, decoded strictly: bytes that are not UTF-8 are refused with their offset
     * (a lenient decoder would store U+FFFD instead: acknowledged data that is not what was sent).
     */
    static String body(Context ctx) { return utf8(ctx.bodyAsBytes(), "the body"); }

    /** {@code bytes} as UTF-8, or INVALID_REQUEST naming {@code what} and the first bad byte. */
    static String utf8(byte[] bytes, String what) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
        try {
            return d.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, what + " is not valid UTF-8 at byte " + in.position()
                    + "; send text as UTF-8");
        }
    }

    /**
     * A query parameter decoded strictly from the raw query string ({@code %FF} is refused, not
     * turned into U+FFFD); null when absent.
     */
    static String queryParam(Context ctx, String name) {
        String raw = ctx.queryString();
        if (raw == null) return null;
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) return utf8(percentDecode(eq < 0 ? "" : pair.substring(eq + 1)), "parameter '" + name + "'");
        }
        return null;
    }

    /**
     * A path parameter; refused when the URL held bytes that are not UTF-8 there (the server
     * decodes them to U+FFFD, which is not what was sent).
     */
    static String pathParam(Context ctx, String name) {
        String v = ctx.pathParam(name);
        if (v.indexOf('\uFFFD') >= 0) {
            String raw = ctx.req().getRequestURI();
            if (!raw.toUpperCase(Locale.ROOT).contains("%EF%BF%BD") && raw.indexOf('\uFFFD') < 0) {
                throw new StrataException(ErrorCode.INVALID_REQUEST, "the " + name + " in the URL is not valid UTF-8; percent-encode"
                        + " its UTF-8 bytes");
            }
        }
        return v;
    }

    private static byte[] percentDecode(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.write(' ');
            } else if (c == '%' && i + 2 < s.length() && Character.digit(s.charAt(i + 1), 16) >= 0 && Character.digit(s.charAt(i + 2), 16) >= 0) {
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else if (c == '%') {
                throw new StrataException(ErrorCode.INVALID_REQUEST, "a '%' in the query string is not followed by two hex digits");
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toByteArray();
    }

    /** The body as a document: its {@code _id} taken out, the rest kept as the text it arrived as (see {@link Json#parseDocument}). */
    static Collection.Document document(Context ctx) {
        String body = body(ctx);
        if (body.isBlank()) throw new StrataException(ErrorCode.INVALID_JSON, "the document is missing: the body is empty");
        return Collection.document(Json.parseDocument(body));
    }

    static Value.ObjectValue jsonObject(Context ctx, String what) {
        String body = body(ctx);
        if (body.isBlank()) throw new StrataException(ErrorCode.INVALID_JSON, what + " is missing: the body is empty");
        Value v = Json.parse(body);
        if (!(v instanceof Value.ObjectValue o)) {
            throw new StrataException(ErrorCode.INVALID_JSON, what + " must be a JSON object, not " + v.kind().display());
        }
        return o;
    }

    /**
     * Refuses a request with a query parameter outside {@code known}: an option the server does
     * not have must not be silently ignored. The 400 names the unknown ones and lists the known.
     */
    static void onlyParameters(Context ctx, java.util.Set<String> known) {
        java.util.Set<String> unknown = new java.util.TreeSet<>(ctx.queryParamMap().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "unknown query parameter" + (unknown.size() == 1 ? " " : "s ")
                    + quoted(unknown) + "; the parameters here are " + quoted(new java.util.TreeSet<>(known)));
        }
    }

    /** Refuses a JSON request object with a member outside {@code known}, naming them and listing the known ones. */
    static void onlyMembers(Value.ObjectValue o, java.util.Set<String> known, String what) {
        java.util.Set<String> unknown = new java.util.TreeSet<>(o.fields().keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "unknown member" + (unknown.size() == 1 ? " " : "s ") + quoted(unknown)
                    + " in " + what + "; its members are " + quoted(new java.util.TreeSet<>(known)));
        }
    }

    private static String quoted(java.util.Collection<String> names) {
        return String.join(", ", names.stream().map(n -> "'" + n + "'").toList());
    }

    /** An integer query parameter within {@code [min, max]}, {@code absent} when not given; anything else is INVALID_REQUEST. */
    static int intParam(Context ctx, String name, int absent, int min, int max) {
        String v = queryParam(ctx, name);
        if (v == null) return absent;
        try {
            int n = Integer.parseInt(v.strip());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new StrataException(ErrorCode.INVALID_REQUEST, "parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + v + "'");
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
