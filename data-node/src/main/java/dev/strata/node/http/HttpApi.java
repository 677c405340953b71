package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.memory.MemoryBreaker;
import dev.strata.core.memory.MemoryBudget;
import dev.strata.core.memory.Sizes;
import dev.strata.core.spi.TierHealth;
import dev.strata.core.QueryException;
import dev.strata.core.StrataException;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.spi.UdfModules;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.exec.ExecutionReport;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.QueryService;
import dev.strata.node.health.FatalErrors;
import dev.strata.node.health.NodeHealth;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import dev.strata.node.storage.Snapshot;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP API. {@link #create} builds the app without starting it, so tests start it on a
 * random port. Endpoints (all JSON unless noted):
 *
 * <pre>
 * GET    /health                                     liveness
 * GET    /stats                                      node statistics
 * GET    /collections                                names
 * PUT    /collections/{c}              [admin]       create; body {"mappings": {"path": "date", ...}} (optional)
 * DELETE /collections/{c}              [admin]       drop with all its data
 * GET    /collections/{c}                            statistics and inferred fields
 * POST   /collections/{c}/refresh                    make acknowledged writes visible to queries
 * PUT    /collections/{c}/docs/{id}                  write one document (JSON object)
 * POST   /collections/{c}/docs                       write one document; "_id" in it or generated
 * GET    /collections/{c}/docs/{id}                  read one document (visible before refresh)
 * DELETE /collections/{c}/docs/{id}                  delete one document
 * POST   /collections/{c}/bulk                       NDJSON or a JSON array; per-line errors
 * GET    /collections/{c}/query?q=...                query; or POST with the text as the body
 * GET    /collections/{c}/explain?q=...              the plan with estimated and actual counts
 * GET    /udfs                                       every UDF module of every UDF tier
 * GET    /udfs/{tier}                                the modules of one tier (wasm_udf, python_udf)
 * PUT    /udfs/{tier}/{module}                       register or replace a module (admin)
 * GET    /udfs/{tier}/{module}                       describe a module: functions, signatures, instances
 * DELETE /udfs/{tier}/{module}                       unload a module (admin)
 * </pre>
 *
 * Writes take {@code ?refresh=true} to be visible to queries on return. Queries take
 * {@code explain=true}, {@code profile=true}, {@code scan=true} (ignore indexes) and {@code
 * timeout_ms=N} (a deadline shorter than the node's).
 */
public final class HttpApi {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    /** Where to listen and how much to accept. */
    public record Settings(String host, int port, long maxBodyBytes) {
        public static final Settings DEFAULT = new Settings("127.0.0.1", 7700, 100L << 20);
    }

    private final Node node;
    private final long maxBody;

    private HttpApi(Node node, long maxBody) {
        this.node = node;
        this.maxBody = maxBody;
    }

    /** Builds the app; call {@code start()} on it. */
    public static Javalin create(Node node, Settings settings) {
        HttpApi api = new HttpApi(node, settings.maxBodyBytes());
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.routes.exception(StrataException.class, (e, ctx) -> api.error(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> api.httpError(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> api.internal(ctx, e));
            config.router.javaLangErrorHandler(api::javaLangError);
            config.routes.get("/health", api::health);
            config.routes.get("/stats", api::stats);
            config.routes.get("/collections", api::listCollections);
            config.routes.put("/collections/{c}", api::createCollection);
            config.routes.delete("/collections/{c}", api::dropCollection);
            config.routes.get("/collections/{c}", api::describeCollection);
            config.routes.post("/collections/{c}/refresh", api::refresh);
            config.routes.put("/collections/{c}/docs/{id}", api::putDocument);
            config.routes.post("/collections/{c}/docs", api::postDocument);
            config.routes.get("/collections/{c}/docs/{id}", api::getDocument);
            config.routes.delete("/collections/{c}/docs/{id}", api::deleteDocument);
            config.routes.post("/collections/{c}/bulk", api::bulk);
            config.routes.get("/collections/{c}/query", ctx -> api.query(ctx, false));
            config.routes.post("/collections/{c}/query", ctx -> api.query(ctx, false));
            config.routes.get("/collections/{c}/explain", ctx -> api.query(ctx, true));
            config.routes.post("/collections/{c}/explain", ctx -> api.query(ctx, true));
            config.routes.get("/udfs", api::listAllModules);
            config.routes.get("/udfs/{tier}", api::listModules);
            config.routes.put("/udfs/{tier}/{module}", api::registerModule);
            config.routes.get("/udfs/{tier}/{module}", api::describeModule);
            config.routes.delete("/udfs/{tier}/{module}", api::unloadModule);
        });
    }

    // ---- errors ----

    static int status(ErrorCode code) {
        return switch (code) {
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS -> 409;
            case UNAUTHORIZED -> 401;
            case TOO_LARGE -> 413;
            case WRONG_CONTENT_TYPE -> 415;
            case DEADLINE_EXCEEDED -> 504;
            case RESOURCE_EXHAUSTED -> 429;
            case UNAVAILABLE -> 503;
            case INTERNAL -> 500;
            default -> code.kind() == ErrorCode.Kind.USER ? 400 : 500;
        };
    }

    private void error(Context ctx, StrataException e) {
        JsonOut err = JsonOut.object().put("code", e.code().name());
        if (e instanceof QueryException q) {
            err.put("message", Messages.cap(q.reason())).put("line", q.line()).put("column", q.column())
                    .put("detail", Messages.cap(q.getMessage()));
        } else {
            err.put("message", Messages.cap(e.getMessage()));
        }
        if (e.code().kind() == ErrorCode.Kind.INTERNAL) LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
        if (e.code() == ErrorCode.UNAVAILABLE) ctx.header("Retry-After", "5");
        send(ctx, status(e.code()), JsonOut.object().put("error", err));
    }

    /**
     * A {@link Error} thrown by a handler: a fatal one (out of memory) goes to the node's fatal
     * policy (exit, or failed on /health); any other (a stack overflow) is an internal error with a
     * JSON body, never an empty 500.
     */
    private void javaLangError(jakarta.servlet.http.HttpServletResponse res, Error e) {
        if (FatalErrors.isFatal(e)) node.fatalErrors().handle(e, "an HTTP request");
        else LOG.error("internal error in an HTTP request", e);
        try {
            res.setStatus(500);
            res.setContentType("application/json");
            res.getWriter().write(Json.write(JsonOut.object().put("error", JsonOut.object().put("code", ErrorCode.INTERNAL.name())
                    .put("message", "internal error: " + e)).build()));
        } catch (java.io.IOException | RuntimeException ignored) {
            // the client went away or the response is committed; the error is logged
        }
    }

    private void httpError(Context ctx, HttpResponseException e) {
        int s = e.getStatus();
        ErrorCode code = switch (s) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 413 -> ErrorCode.TOO_LARGE;
            case 415 -> ErrorCode.WRONG_CONTENT_TYPE;
            case 401 -> ErrorCode.UNAUTHORIZED;
            default -> s >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_REQUEST;
        };
        String message = switch (s) {
            case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
            case 405 -> "method " + ctx.method() + " is not allowed on " + ctx.path();
            case 413 -> "request body is larger than the limit of " + maxBody + " bytes";
            default -> e.getMessage();
        };
        send(ctx, s, JsonOut.object().put("error", JsonOut.object().put("code", code.name()).put("message", message)));
    }

    private void internal(Context ctx, Exception e) {
        LOG.error("internal error on {} {}", ctx.method(), ctx.path(), e);
        send(ctx, 500, JsonOut.object().put("error", JsonOut.object().put("code", ErrorCode.INTERNAL.name())
                .put("message", "internal error: " + e)));
    }

    private static void send(Context ctx, int status, JsonOut body) {
        ctx.status(status).contentType("application/json").result(Json.write(body.build()));
    }

    // ---- edge checks ----

    private void requireAdmin(Context ctx) {
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
    private static void requireContentType(Context ctx, Set<String> accepted) {
        String ct = ctx.contentType();
        if (ct == null || ct.isBlank()) return;
        String base = ct.split(";")[0].trim().toLowerCase(Locale.ROOT);
        if (!accepted.contains(base)) {
            throw new StrataException(ErrorCode.WRONG_CONTENT_TYPE, "content type '" + base + "' is not accepted here; send "
                    + String.join(" or ", accepted.stream().sorted().toList()));
        }
    }

    private static final Set<String> JSON = Set.of("application/json");
    private static final Set<String> BULK = Set.of("application/x-ndjson", "application/json", "text/plain");
    // curl --data-binary labels a body as a form without encoding it: read it as the query text.
    private static final Set<String> QUERY = Set.of("text/plain", "application/json", "application/x-www-form-urlencoded");

    private static Value.ObjectValue jsonObject(Context ctx, String what) {
        String body = ctx.body();
        if (body.isBlank()) throw new StrataException(ErrorCode.INVALID_JSON, what + " is missing: the body is empty");
        Value v = Json.parse(body);
        if (!(v instanceof Value.ObjectValue o)) {
            throw new StrataException(ErrorCode.INVALID_JSON, what + " must be a JSON object, not " + v.kind().display());
        }
        return o;
    }

    /** {@code ?timeout_ms=N}: this query's deadline when shorter than the node's; 0 when absent. */
    private static long timeoutMillis(Context ctx) {
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

    private static boolean flag(Context ctx, String name) {
        String v = ctx.queryParam(name);
        if (v == null) return false;
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "", "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> throw new StrataException(ErrorCode.INVALID_REQUEST, "parameter '" + name + "' must be true or false, not '" + v + "'");
        };
    }

    // ---- handlers ----

    /**
     * 200 with {@code "status": "ok"} when nothing is wrong; otherwise 503 with {@code starting}
     * (tiers loading, nobody needs to act), {@code degraded} (background work failing and being
     * retried, a tier that cannot serve) or {@code failed} (a fatal error: restart the node), and
     * each problem with since when and why.
     */
    private void health(Context ctx) {
        List<Value> problems = new ArrayList<>();
        for (NodeHealth.Problem p : node.health().problems()) {
            problems.add(JsonOut.object().put("component", p.component()).put("task", p.task()).put("since", p.since().toString())
                    .put("failures", p.failures()).put("reason", p.reason()).build());
        }
        String status = problems.isEmpty() ? "ok" : "degraded";
        JsonOut tiers = JsonOut.object();
        for (var tier : node.queries().tiers().providers()) {
            TierHealth h = tier.health();
            JsonOut t = JsonOut.object().put("status", h.status().name().toLowerCase(Locale.ROOT));
            if (!h.problems().isEmpty()) t.putList("problems", h.problems().stream().map(Value::of).toList());
            if (!h.details().isEmpty()) t.put("details", Value.fromJava(h.details()));
            tiers.put(tier.name(), t);
            if (h.status() == TierHealth.Status.DEGRADED) status = "degraded";
            else if (h.status() == TierHealth.Status.STARTING && status.equals("ok")) status = "starting";
        }
        if (node.health().fatalReason() != null) status = "failed";
        JsonOut out = JsonOut.object().put("status", status).put("collections", node.collectionNames().size());
        if (node.health().fatalReason() != null) out.put("fatal", node.health().fatalReason());
        out.putList("problems", problems).put("tiers", tiers);
        send(ctx, status.equals("ok") ? 200 : 503, out);
    }

    private void stats(Context ctx) {
        List<Value> cs = new ArrayList<>();
        for (String name : node.collectionNames()) {
            Snapshot s = node.collection(name).snapshot();
            cs.add(JsonOut.object().put("name", name).put("documents", s.liveCount()).put("segments", s.segments().size()).build());
        }
        QueryService q = node.queries();
        send(ctx, 200, JsonOut.object()
                .putList("collections", cs)
                .putList("tiers", q.tiers().names().stream().map(Value::of).toList())
                .put("plan_cache", JsonOut.object().put("size", q.cache().size()).put("hits", q.cache().hits()).put("misses", q.cache().misses()))
                .put("memory", memory())
                .put("durability", node.config().durability().name().toLowerCase(Locale.ROOT)));
    }

    /** The heap and the memory breaker: what requests hold now, their limits, and how often a budget tripped. */
    private JsonOut memory() {
        MemoryBreaker m = node.memory();
        Runtime rt = Runtime.getRuntime();
        return JsonOut.object().put("heap_max_bytes", MemoryBreaker.maxHeap()).put("heap_used_bytes", rt.totalMemory() - rt.freeMemory())
                .put("heap_live_bytes", m.liveHeapBytes()).put("requests_reserved_bytes", m.reservedBytes())
                .put("requests_limit_bytes", m.limitBytes()).put("query_limit_bytes", m.queryLimitBytes()).put("trips", m.trips());
    }

    private void listCollections(Context ctx) {
        send(ctx, 200, JsonOut.object().putList("collections", node.collectionNames().stream().map(Value::of).toList()));
    }

    private void createCollection(Context ctx) {
        requireAdmin(ctx);
        requireContentType(ctx, JSON);
        Mappings mappings = Mappings.NONE;
        int maxFields = 0;
        if (!ctx.body().isBlank()) {
            Value.ObjectValue body = jsonObject(ctx, "the collection settings");
            for (String k : body.fields().keySet()) {
                if (!k.equals("mappings") && !k.equals("max_fields")) {
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "unknown setting '" + k + "' (known: mappings, max_fields)");
                }
            }
            if (body.get("mappings") instanceof Value.ObjectValue m) mappings = Mappings.parse(m);
            else if (body.get("mappings") != null) throw new StrataException(ErrorCode.INVALID_REQUEST, "'mappings' must be an object");
            if (body.get("max_fields") != null) {
                if (!(body.get("max_fields") instanceof Value.IntValue i) || i.value() < 1 || i.value() > 1_000_000) {
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "'max_fields' must be an integer from 1 to 1000000");
                }
                maxFields = (int) i.value();
            }
        }
        Collection c = node.create(ctx.pathParam("c"), mappings, maxFields);
        send(ctx, 201, JsonOut.object().put("collection", c.name()).put("mappings", c.mappings().toJson())
                .put("max_fields", c.fields().max()));
    }

    private void dropCollection(Context ctx) {
        requireAdmin(ctx);
        node.drop(ctx.pathParam("c"));
        send(ctx, 200, JsonOut.object().put("deleted", ctx.pathParam("c")));
    }

    private void describeCollection(Context ctx) {
        Collection c = node.collection(ctx.pathParam("c"));
        Snapshot s = c.snapshot();
        JsonOut fields = JsonOut.object();
        s.schema().byColumnKey().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> fields.putList(
                e.getKey().replace(dev.strata.core.value.FieldPath.KEY_SEPARATOR, '.'),
                e.getValue().stream().sorted().map(ValueKind::display).map(Value::of).toList()));
        long deleted = s.segments().stream().mapToLong(x -> x.deleted().getCardinality()).sum();
        send(ctx, 200, JsonOut.object().put("collection", c.name()).put("documents", s.liveCount())
                .put("pending", c.pendingCount()).put("segments", s.segments().size()).put("deleted", deleted)
                .put("log_bytes", c.logBytes()).put("mappings", c.mappings().toJson())
                .put("field_paths", c.fields().size()).put("max_fields", c.fields().max()).put("fields", fields));
    }

    private void refresh(Context ctx) {
        Collection c = node.collection(ctx.pathParam("c"));
        c.refresh();
        send(ctx, 200, JsonOut.object().put("collection", c.name()).put("documents", c.snapshot().liveCount()));
    }

    private void putDocument(Context ctx) {
        Collection c = node.collection(ctx.pathParam("c"));
        requireContentType(ctx, JSON);
        Value.ObjectValue doc = jsonObject(ctx, "the document");
        Collection.Document d = Collection.split(doc);
        String id = ctx.pathParam("id");
        if (d.id() != null && !d.id().equals(id)) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "the body's _id '" + d.id() + "' differs from the id in the URL '" + id + "'");
        }
        writeOne(ctx, c, new Collection.Document(id, d.source()));
    }

    private void postDocument(Context ctx) {
        Collection c = node.collection(ctx.pathParam("c"));
        requireContentType(ctx, JSON);
        writeOne(ctx, c, Collection.split(jsonObject(ctx, "the document")));
    }

    private void writeOne(Context ctx, Collection c, Collection.Document d) {
        Collection.Written w = c.put(d.id(), d.source());
        if (flag(ctx, "refresh")) c.refresh();
        send(ctx, w.created() ? 201 : 200, JsonOut.object().put("_id", w.id()).put("result", w.created() ? "created" : "updated"));
    }

    private void getDocument(Context ctx) {
        Collection c = node.collection(ctx.pathParam("c"));
        String id = ctx.pathParam("id");
        Value.ObjectValue d = c.get(id);
        if (d == null) throw new StrataException(ErrorCode.NOT_FOUND, "no document '" + id + "' in collection '" + c.name() + "'");
        send(ctx, 200, JsonOut.object().put("_id", id).put("_source", d));
    }

    private void deleteDocument(Context ctx) {
        Collection c = node.collection(ctx.pathParam("c"));
        String id = ctx.pathParam("id");
        if (!c.delete(id)) throw new StrataException(ErrorCode.NOT_FOUND, "no document '" + id + "' in collection '" + c.name() + "'");
        if (flag(ctx, "refresh")) c.refresh();
        send(ctx, 200, JsonOut.object().put("_id", id).put("result", "deleted"));
    }

    /** Parsed JSON takes about this many times the bytes of its text on the heap (objects, maps, boxed values). */
    private static final long PARSE_EXPANSION = 8;

    /**
     * Writes a bulk. Its body, parsed, is accounted against the node's memory breaker before it is
     * read (429 when the node cannot take it now). The reply describes the first
     * {@value Collection#MAX_REJECTED_SHOWN} failed lines and counts the rest.
     */
    private void bulk(Context ctx) {
        Collection c = node.collection(ctx.pathParam("c"));
        requireContentType(ctx, BULK);
        long t0 = System.nanoTime();
        try (MemoryBudget inFlight = node.memory().newBudget(Long.MAX_VALUE)) {
            long announced = Math.max(0, ctx.contentLength());
            inFlight.reserve(announced * PARSE_EXPANSION, "a bulk of " + Sizes.of(announced));
            String body = ctx.body();
            inFlight.reserve((body.length() - announced) * PARSE_EXPANSION, "a bulk of " + Sizes.of(body.length()));
            BulkParser.Parsed parsed = BulkParser.parse(body);
            Collection.Bulk result = c.bulk(parsed.documents());
            List<Collection.Written> written = result.written();
            if (flag(ctx, "refresh")) c.refresh();
            List<BulkParser.LineError> lineErrors = new ArrayList<>(parsed.errors());
            for (Collection.Rejected r : result.rejected()) {
                lineErrors.add(new BulkParser.LineError(parsed.lines().get(r.index()), r.error().code(), r.error().getMessage()));
            }
            lineErrors.sort(java.util.Comparator.comparingInt(BulkParser.LineError::line));
            int failed = parsed.errorCount() + result.rejectedCount();
            List<Value> errors = new ArrayList<>();
            for (BulkParser.LineError e : lineErrors.subList(0, Math.min(lineErrors.size(), Collection.MAX_REJECTED_SHOWN))) {
                errors.add(JsonOut.object().put("line", e.line()).put("code", e.code().name()).put("message", Messages.cap(e.message(), 500)).build());
            }
            long created = written.stream().filter(Collection.Written::created).count();
            JsonOut out = JsonOut.object().put("indexed", written.size()).put("created", created)
                    .put("updated", written.size() - created).put("failed", failed).putList("errors", errors);
            if (failed > errors.size()) out.put("errors_shown", errors.size());
            send(ctx, 200, out.put("took_ms", JsonOut.millis(System.nanoTime() - t0)));
        }
    }

    private void query(Context ctx, boolean explainOnly) {
        Collection c = node.collection(ctx.pathParam("c"));
        String text = ctx.queryParam("q");
        if (ctx.method().name().equals("POST")) {
            requireContentType(ctx, QUERY);
            String body = ctx.body();
            String ct = ctx.contentType();
            if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                Value.ObjectValue o = jsonObject(ctx, "the query request");
                if (!(o.get("query") instanceof Value.StringValue s)) {
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "a JSON query request needs a string field \"query\"");
                }
                body = s.value();
            }
            if (!body.isBlank()) {
                if (text != null) throw new StrataException(ErrorCode.INVALID_REQUEST, "give the query in the body or in ?q=, not both");
                text = body;
            }
        }
        if (text == null) throw new StrataException(ErrorCode.INVALID_REQUEST, "no query: pass ?q=... or send the query text as the body");
        boolean explain = explainOnly || flag(ctx, "explain");
        boolean profile = flag(ctx, "profile");
        try (QueryService.Outcome o = node.queries().start(c, text, !flag(ctx, "scan"), timeoutMillis(ctx) * 1_000_000)) {
            QueryExecutor.Result r = o.result();
            JsonOut out = JsonOut.object().put("total", r.total())
                    .put("took_ms", JsonOut.millis(o.parseAndPlanNanos() + o.executeNanos()));
            if (!explainOnly) {
                List<Value> hits = new ArrayList<>();
                long replyChars = 0;
                for (QueryExecutor.Hit h : r.hits()) {
                    replyChars += Json.estimateLength(h.source()) + h.id().length() + 48;
                    hits.add(JsonOut.object().put("_id", h.id()).put("_score", h.score()).put("_source", h.source()).build());
                }
                // the reply's text, and the builder that makes it, hold about three times its length in bytes
                o.run().memory().reserve(3 * 2 * replyChars, "the reply of " + r.hits().size() + " hits");
                out.putList("hits", hits);
            }
            if (explain) out.put("explain", explain(r.report()));
            if (profile) out.put("profile", profile(o, r.report()));
            send(ctx, 200, out);
        }
    }

    // ---- UDF modules ----

    private void listAllModules(Context ctx) {
        List<Value> all = new ArrayList<>();
        for (var p : node.queries().tiers().providers()) {
            if (p instanceof UdfModules m) for (UdfModuleInfo i : m.list()) all.add(moduleJson(i).build());
        }
        send(ctx, 200, JsonOut.object().putList("modules", all));
    }

    private void listModules(Context ctx) {
        UdfModules m = node.queries().tiers().modules(ctx.pathParam("tier"));
        send(ctx, 200, JsonOut.object().putList("modules", m.list().stream().map(i -> (Value) moduleJson(i).build()).toList()));
    }

    private void describeModule(Context ctx) {
        String tier = ctx.pathParam("tier");
        String name = ctx.pathParam("module");
        UdfModuleInfo i = node.queries().tiers().modules(tier).describe(name)
                .orElseThrow(() -> new StrataException(ErrorCode.NOT_FOUND, "no " + tier + " module '" + name + "'"));
        send(ctx, 200, moduleJson(i));
    }

    private void unloadModule(Context ctx) {
        requireAdmin(ctx);
        String tier = ctx.pathParam("tier");
        String name = ctx.pathParam("module");
        if (!node.queries().tiers().modules(tier).unload(name)) {
            throw new StrataException(ErrorCode.NOT_FOUND, "no " + tier + " module '" + name + "'");
        }
        node.queries().udfModulesChanged();
        send(ctx, 200, JsonOut.object().put("unloaded", name).put("tier", tier));
    }

    /**
     * Registers a module. The body is JSON: {@code {"format": "wat"|"wasm"|..., "content": "<text>"}}
     * or {@code "content_base64"} for binary, with optional {@code version}, {@code description},
     * {@code signatures} ({@code {"fn": "(string) -> i32"}}) and {@code options} ({@code {"wasi": true}}).
     * A raw {@code application/wasm} body is taken as the binary, with the same settings as query
     * parameters ({@code ?version=&description=&wasi=true&signature.fn=...}).
     */
    private void registerModule(Context ctx) {
        requireAdmin(ctx);
        UdfModules modules = node.queries().tiers().modules(ctx.pathParam("tier"));
        String name = ctx.pathParam("module");
        String ct = ctx.contentType() == null ? "" : ctx.contentType().split(";")[0].trim().toLowerCase(Locale.ROOT);
        UdfModuleSource src;
        if (ct.equals("application/wasm")) {
            Map<String, String> sigs = new LinkedHashMap<>();
            Map<String, String> opts = new LinkedHashMap<>();
            ctx.queryParamMap().forEach((k, v) -> {
                if (k.startsWith("signature.")) sigs.put(k.substring("signature.".length()), v.get(0));
                else if (!k.equals("version") && !k.equals("description")) opts.put(k, v.get(0));
            });
            src = new UdfModuleSource(name, ctx.bodyAsBytes(), "wasm", ctx.queryParam("version"), ctx.queryParam("description"), sigs, opts);
        } else {
            requireContentType(ctx, JSON);
            Value.ObjectValue o = jsonObject(ctx, "the module");
            for (String k : o.fields().keySet()) {
                if (!Set.of("format", "content", "content_base64", "version", "description", "signatures", "options").contains(k)) {
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "unknown field '" + k
                            + "' (known: format, content, content_base64, version, description, signatures, options)");
                }
            }
            byte[] content;
            if (o.get("content") instanceof Value.StringValue s) {
                content = s.value().getBytes(StandardCharsets.UTF_8);
            } else if (o.get("content_base64") instanceof Value.StringValue s) {
                try {
                    content = Base64.getDecoder().decode(s.value().strip());
                } catch (IllegalArgumentException e) {
                    throw new StrataException(ErrorCode.INVALID_REQUEST, "content_base64 is not valid base64: " + e.getMessage());
                }
            } else {
                throw new StrataException(ErrorCode.INVALID_REQUEST, "the module needs \"content\" (text) or \"content_base64\" (binary)");
            }
            String format = text(o, "format");
            if (format == null) format = o.get("content_base64") != null ? "wasm" : ctx.pathParam("tier").equals("python_udf") ? "python" : "wat";
            src = new UdfModuleSource(name, content, format, text(o, "version"), text(o, "description"),
                    stringMap(o, "signatures"), stringMap(o, "options"));
        }
        UdfModuleInfo info = modules.register(src);
        node.queries().udfModulesChanged();
        send(ctx, info.replaced() ? 200 : 201, moduleJson(info));
    }

    private static String text(Value.ObjectValue o, String field) {
        Value v = o.get(field);
        if (v == null || v instanceof Value.NullValue) return null;
        if (v instanceof Value.StringValue s) return s.value();
        throw new StrataException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be a string");
    }

    private static Map<String, String> stringMap(Value.ObjectValue o, String field) {
        Value v = o.get(field);
        if (v == null || v instanceof Value.NullValue) return Map.of();
        if (!(v instanceof Value.ObjectValue m)) throw new StrataException(ErrorCode.INVALID_REQUEST, "'" + field + "' must be an object");
        Map<String, String> out = new LinkedHashMap<>();
        m.fields().forEach((k, x) -> out.put(k, switch (x) {
            case Value.StringValue s -> s.value();
            case Value.BoolValue b -> Boolean.toString(b.value());
            case Value.IntValue i -> Long.toString(i.value());
            default -> throw new StrataException(ErrorCode.INVALID_REQUEST, "'" + field + "." + k + "' must be a string, a bool or an integer");
        }));
        return out;
    }

    static JsonOut moduleJson(UdfModuleInfo i) {
        List<Value> fns = new ArrayList<>();
        for (UdfModuleInfo.Function f : i.functions()) {
            fns.add(JsonOut.object().put("name", f.name()).put("signature", f.signature()).put("shape", f.shape()).build());
        }
        JsonOut o = JsonOut.object().put("tier", i.tier()).put("name", i.name()).put("version", i.version())
                .put("description", i.description()).put("sha256", i.sha256()).put("size_bytes", i.sizeBytes())
                .put("registered_at", i.registeredAt()).put("state", i.state());
        if (i.replaced()) o.put("replaced", true);
        return o.putList("functions", fns).put("options", Value.fromJava(i.options())).put("details", Value.fromJava(i.details()));
    }

    static JsonOut explain(ExecutionReport r) {
        List<Value> clauses = new ArrayList<>();
        if (r.index() != null) {
            clauses.add(JsonOut.object().put("tier", "index").put("clause", String.join(" AND ", r.indexedClauses()))
                    .put("index", r.index()).put("estimated", r.indexEstimated()).put("actual", r.candidates()).build());
        }
        for (ExecutionReport.StageReport s : r.stages()) {
            clauses.add(JsonOut.object().put("tier", s.tier()).put("clause", s.clause()).put("index", Value.NULL)
                    .put("input", s.docsIn()).put("estimated", s.estimatedOut()).put("actual", s.docsOut()).build());
        }
        return JsonOut.object().put("segments", r.segments()).put("documents", r.liveDocs())
                .put("candidates", r.candidates()).putList("clauses", clauses).put("matched", r.matched())
                .putList("udfs", udfs(r));
    }

    /** Per UDF: guest calls, documents evaluated, time inside it and traps. */
    private static List<Value> udfs(ExecutionReport r) {
        List<Value> out = new ArrayList<>();
        for (ExecutionReport.UdfReport u : r.udfs()) {
            out.add(JsonOut.object().put("tier", u.tier()).put("function", u.function()).put("calls", u.calls())
                    .put("documents", u.rows()).put("ms", JsonOut.millis(u.nanos())).put("traps", u.traps()).build());
        }
        return out;
    }

    private static JsonOut profile(QueryService.Outcome o, ExecutionReport r) {
        JsonOut tiers = JsonOut.object();
        for (ExecutionReport.StageReport s : r.stages()) tiers.put(s.tier(), JsonOut.millis(s.nanos()));
        return JsonOut.object().put("parse_and_plan_ms", JsonOut.millis(o.parseAndPlanNanos()))
                .put("index_ms", JsonOut.millis(r.indexNanos())).put("tiers_ms", tiers)
                .put("rank_ms", JsonOut.millis(r.rankNanos())).put("fetch_ms", JsonOut.millis(r.fetchNanos()))
                .put("execute_ms", JsonOut.millis(o.executeNanos())).putList("udfs", udfs(r));
    }
}
