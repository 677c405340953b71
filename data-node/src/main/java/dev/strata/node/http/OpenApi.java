package dev.strata.node.http;

import dev.strata.core.value.Value;
import dev.strata.node.access.Scope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /openapi.json}: an OpenAPI 3 description of every route of {@link HttpApi#routes},
 * generated from the route table and the request and reply shapes below, so a route cannot be
 * served without being described (a test also checks that every described route answers).
 */
final class OpenApi {
    private OpenApi() {}

    /** What a route reads besides its path: query parameters, a body, and what it answers with. */
    record Op(List<String> query, List<String> bodyTypes, String bodySchema, int status, String replySchema) {}

    private static final List<String> QUERY = List.copyOf(new java.util.TreeSet<>(QueryRoutes.PARAMETERS));
    private static final List<String> REFRESH = List.of("refresh");

    /** The route's request and reply, by "METHOD path"; a route missing here fails the document (and its test). */
    static final Map<String, Op> OPS = Map.ofEntries(
            Map.entry("GET /health", new Op(List.of(), List.of(), null, 200, "Health")),
            Map.entry("GET /stats", new Op(List.of(), List.of(), null, 200, "Object")),
            Map.entry("GET /metrics", new Op(List.of(), List.of(), null, 200, "Text")),
            Map.entry("GET /cluster", new Op(List.of(), List.of(), null, 200, "Object")),
            Map.entry("GET /openapi.json", new Op(List.of(), List.of(), null, 200, "Object")),
            Map.entry("GET /collections", new Op(List.of(), List.of(), null, 200, "CollectionNames")),
            Map.entry("PUT /collections/{c}", new Op(List.of(), List.of("application/json"), "CollectionSettings", 201, "Object")),
            Map.entry("DELETE /collections/{c}", new Op(List.of(), List.of(), null, 200, "Object")),
            Map.entry("GET /collections/{c}", new Op(List.of(), List.of(), null, 200, "CollectionStats")),
            Map.entry("POST /collections/{c}/refresh", new Op(List.of(), List.of(), null, 200, "Object")),
            Map.entry("PUT /collections/{c}/docs/{id}", new Op(REFRESH, List.of("application/json"), "Object", 201, "Written")),
            Map.entry("POST /collections/{c}/docs", new Op(REFRESH, List.of("application/json"), "Object", 201, "Written")),
            Map.entry("GET /collections/{c}/docs/{id}", new Op(List.of(), List.of(), null, 200, "Document")),
            Map.entry("DELETE /collections/{c}/docs/{id}", new Op(REFRESH, List.of(), null, 200, "Object")),
            Map.entry("POST /collections/{c}/bulk", new Op(REFRESH, List.copyOf(Requests.BULK), "Text", 200, "BulkReply")),
            Map.entry("GET /collections/{c}/query", new Op(QUERY, List.of(), null, 200, "QueryReply")),
            Map.entry("POST /collections/{c}/query", new Op(QUERY, List.copyOf(Requests.QUERY), "QueryRequest", 200, "QueryReply")),
            Map.entry("GET /collections/{c}/explain", new Op(QUERY, List.of(), null, 200, "QueryReply")),
            Map.entry("POST /collections/{c}/explain", new Op(QUERY, List.copyOf(Requests.QUERY), "QueryRequest", 200, "QueryReply")),
            Map.entry("GET /udfs", new Op(List.of(), List.of(), null, 200, "Modules")),
            Map.entry("GET /udfs/{tier}", new Op(List.of(), List.of(), null, 200, "Modules")),
            Map.entry("PUT /udfs/{tier}/{module}", new Op(List.of("version", "description"),
                    List.of("application/json", "application/wasm", "text/x-python"), "ModuleRequest", 201, "Module")),
            Map.entry("GET /udfs/{tier}/{module}", new Op(List.of(), List.of(), null, 200, "Module")),
            Map.entry("DELETE /udfs/{tier}/{module}", new Op(List.of(), List.of(), null, 200, "Object")),
            Map.entry("GET /", new Op(List.of(), List.of(), null, 200, "Html")),
            Map.entry("GET /console/{file}", new Op(List.of(), List.of(), null, 200, "Text")));

    private static final Pattern PATH_PARAM = Pattern.compile("\\{([a-z]+)}");

    /** The whole document for {@code routes}. */
    static Value document(List<Route> routes) {
        Map<String, Map<String, Value>> paths = new LinkedHashMap<>();
        for (Route r : routes) {
            String key = r.method().name() + " " + r.path();
            Op op = OPS.get(key);
            if (op == null) throw new IllegalStateException("route " + key + " has no OpenAPI description in OpenApi.OPS");
            paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>()).put(r.method().name().toLowerCase(Locale.ROOT), operation(r, op));
        }
        Map<String, Value> p = new LinkedHashMap<>();
        paths.forEach((path, ops) -> p.put(path, new Value.ObjectValue(ops)));
        return obj("openapi", "3.0.3",
                "info", obj("title", "Strata", "version", "0.1.0", "description", "A document query engine with expression, WebAssembly and"
                        + " Python tiers. Scopes: each operation's x-strata-scope (public, read, write, admin) says which token it needs;"
                        + " read and write are open unless the node has tokens for them."),
                "paths", new Value.ObjectValue(p),
                "components", obj("securitySchemes", obj("bearer", obj("type", "http", "scheme", "bearer")), "schemas", Schemas.ALL));
    }

    private static Value operation(Route r, Op op) {
        Map<String, Value> o = new LinkedHashMap<>();
        o.put("summary", Value.of(r.summary()));
        o.put("operationId", Value.of(operationId(r)));
        o.put("x-strata-scope", Value.of(r.scope().display()));
        List<Value> params = new ArrayList<>();
        Matcher m = PATH_PARAM.matcher(r.path());
        while (m.find()) params.add(obj("name", m.group(1), "in", "path", "required", true, "schema", obj("type", "string")));
        for (String q : op.query()) params.add(obj("name", q, "in", "query", "required", false, "schema", obj("type", "string")));
        if (!params.isEmpty()) o.put("parameters", new Value.ArrayValue(params));
        if (!op.bodyTypes().isEmpty()) {
            Map<String, Value> content = new LinkedHashMap<>();
            for (String t : op.bodyTypes()) content.put(t, obj("schema", ref(op.bodySchema())));
            o.put("requestBody", obj("required", true, "content", new Value.ObjectValue(content)));
        }
        String replyType = op.replySchema().equals("Text") ? "text/plain" : op.replySchema().equals("Html") ? "text/html" : "application/json";
        o.put("responses", obj(Integer.toString(op.status()), obj("description", "success", "content", obj(replyType, obj("schema", ref(op.replySchema())))),
                "4XX", obj("description", "a user error: bad input, unknown name, a token missing (401) or of too low a scope (403)",
                        "content", obj("application/json", obj("schema", ref("Error")))),
                "5XX", obj("description", "the node cannot serve it now (503, 429 over a memory budget) or an internal error",
                        "content", obj("application/json", obj("schema", ref("Error"))))));
        if (r.scope() != Scope.PUBLIC) o.put("security", new Value.ArrayValue(List.of(obj("bearer", new Value.ArrayValue(List.of())))));
        return new Value.ObjectValue(o);
    }

    private static String operationId(Route r) {
        StringBuilder b = new StringBuilder(r.method().name().toLowerCase(Locale.ROOT));
        for (String part : r.path().split("[/{}.]")) {
            if (!part.isEmpty()) b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    private static Value ref(String schema) { return obj("$ref", "#/components/schemas/" + schema); }

    /** An object from alternating keys and values (String, Boolean, Value). */
    static Value obj(Object... kv) {
        Map<String, Value> o = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            Object v = kv[i + 1];
            o.put((String) kv[i], v instanceof Value x ? x : v instanceof Boolean b ? Value.of(b) : Value.of(v.toString()));
        }
        return new Value.ObjectValue(o);
    }
}
