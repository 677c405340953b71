package dev.strata.node.http;

import static dev.strata.node.access.Scope.ADMIN;
import static dev.strata.node.access.Scope.PUBLIC;
import static dev.strata.node.access.Scope.READ;
import static dev.strata.node.access.Scope.WRITE;
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.strata.core.StrataException;
import dev.strata.node.Node;
import dev.strata.node.logging.Logs;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import java.util.List;

/**
 * The node's HTTP API. {@link #create} builds the app without starting it, so tests start it on a
 * random port. {@link #routes} is the route table: every endpoint with the scope it needs and what
 * it does; each route is registered from it behind one scope check. Each concern has its own
 * class ({@link NodeRoutes}, {@link CollectionRoutes}, {@link QueryRoutes}, {@link UdfRoutes}),
 * the edge checks live in {@link Requests} and every failure becomes JSON in {@link ErrorReplies}.
 *
 * <p>Writes take {@code ?refresh=true} to be visible to queries on return. Queries take
 * {@code explain=true}, {@code profile=true}, {@code scan=true} (ignore indexes) and {@code
 * timeout_ms=N} (a deadline shorter than the node's).
 */
public final class HttpApi {
    /** Where to listen and how much to accept. */
    public record Settings(String host, int port, long maxBodyBytes) {
        public static final Settings DEFAULT = new Settings("127.0.0.1", 7700, 100L << 20);
    }

    private HttpApi() {}

    private static final String STARTED = "strata.started";
    private static final String ROUTE = "strata.route";
    private static final ConsoleRoutes CONSOLE = new ConsoleRoutes();

    /** Builds the app; call {@code start()} on it. */
    public static Javalin create(Node node, Settings settings) {
        ErrorReplies errors = new ErrorReplies(node, settings.maxBodyBytes());
        NodeRoutes nodeRoutes = new NodeRoutes(node);
        CollectionRoutes collections = new CollectionRoutes(node);
        QueryRoutes queries = new QueryRoutes(node);
        UdfRoutes udfs = new UdfRoutes(node);
        String[] openapi = new String[1];
        List<Route> routes = routes(nodeRoutes, collections, queries, udfs, () -> openapi[0]);
        openapi[0] = dev.strata.core.value.Json.write(OpenApi.document(routes)); // a route without a description fails here, at start
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = settings.host();
            config.jetty.port = settings.port();
            config.http.maxRequestSize = settings.maxBodyBytes();
            config.routes.exception(StrataException.class, (e, ctx) -> errors.error(ctx, e));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> errors.httpError(ctx, e));
            config.routes.exception(Exception.class, (e, ctx) -> errors.internal(ctx, e));
            config.router.javaLangErrorHandler(errors::javaLangError);
            config.routes.before(ctx -> {
                ctx.attribute(STARTED, System.nanoTime());
                ctx.header("X-Request-Id", Logs.startRequest(ctx.header("X-Request-Id")));
            });
            config.routes.after(ctx -> {
                Long t0 = ctx.attribute(STARTED);
                // the route's template; a path no route has is "unmatched", never the raw path (a label per URL)
                String route = ctx.attribute(ROUTE) instanceof String r ? r : "unmatched";
                node.metrics().request(ctx.method().name(), route, ctx.statusCode(), t0 == null ? 0 : System.nanoTime() - t0);
                Logs.endRequest();
            });
            for (Route r : routes) {
                config.routes.addHttpHandler(r.method(), r.path(), ctx -> {
                    ctx.attribute(ROUTE, r.path());
                    if (ctx.pathParamMap().containsKey("c")) Logs.collection(ctx.pathParam("c"));
                    node.access().require(r.scope(), Requests.token(ctx));
                    if (r.scope().compareTo(WRITE) >= 0 && !node.fabric().hasQuorum()) { // split-brain protection
                        throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.UNAVAILABLE, "this member sees "
                                + node.fabric().members().size() + " member(s) of its cluster, fewer than the quorum of "
                                + node.config().cluster().quorum() + " that writes need; reads still answer, retry the write on the"
                                + " majority side or when the members rejoin");
                    }
                    r.handler().handle(ctx);
                });
            }
        });
    }

    /** Every route: method, path, the scope it needs, what it does, and its handler. */
    static List<Route> routes(NodeRoutes nodeRoutes, CollectionRoutes collections, QueryRoutes queries, UdfRoutes udfs,
                              java.util.function.Supplier<String> openapi) {
        return List.of(
                new Route(GET, "/", PUBLIC, "The web console", CONSOLE::index),
                new Route(GET, "/console/{file}", PUBLIC, "The web console's scripts and styles", CONSOLE::file),
                new Route(GET, "/health", PUBLIC, "Health: 200 ok, or 503 starting, degraded or failed, each problem with why", nodeRoutes::health),
                new Route(GET, "/stats", READ, "Node statistics: collections, memory, tiers", nodeRoutes::stats),
                new Route(GET, "/metrics", READ, "Every meter in the Prometheus text format", nodeRoutes::metrics),
                new Route(GET, "/cluster", READ, "The cluster: members, partitions, those this member owns, quorum", nodeRoutes::cluster),
                new Route(GET, "/openapi.json", PUBLIC, "This API described in OpenAPI 3", ctx -> ctx.status(200)
                        .contentType("application/json").result(openapi.get())),
                new Route(GET, "/collections", READ, "The collections' names", collections::listCollections),
                new Route(PUT, "/collections/{c}", ADMIN, "Create a collection; body {\"mappings\": {\"path\": \"date\"}} (optional)",
                        collections::createCollection),
                new Route(DELETE, "/collections/{c}", ADMIN, "Drop a collection with all its data", collections::dropCollection),
                new Route(GET, "/collections/{c}", READ, "A collection's statistics and inferred fields", collections::describeCollection),
                new Route(POST, "/collections/{c}/refresh", WRITE, "Make acknowledged writes visible to queries", collections::refresh),
                new Route(PUT, "/collections/{c}/docs/{id}", WRITE, "Write one document (a JSON object)", collections::putDocument),
                new Route(POST, "/collections/{c}/docs", WRITE, "Write one document; \"_id\" in it or generated", collections::postDocument),
                new Route(GET, "/collections/{c}/docs/{id}", READ, "Read one document (visible before a refresh)", collections::getDocument),
                new Route(DELETE, "/collections/{c}/docs/{id}", WRITE, "Delete one document", collections::deleteDocument),
                new Route(POST, "/collections/{c}/bulk", WRITE, "Write NDJSON or a JSON array of documents; per-line errors", collections::bulk),
                new Route(GET, "/collections/{c}/query", READ, "Run a query given as ?q= or ?cursor=", ctx -> queries.query(ctx, false)),
                new Route(POST, "/collections/{c}/query", READ, "Run a query given as the body (text, or {\"query\": ...})",
                        ctx -> queries.query(ctx, false)),
                new Route(GET, "/collections/{c}/explain", READ, "A query's plan with estimated and actual counts", ctx -> queries.query(ctx, true)),
                new Route(POST, "/collections/{c}/explain", READ, "A query's plan, the query as the body", ctx -> queries.query(ctx, true)),
                new Route(GET, "/udfs", READ, "Every UDF module of every UDF tier", udfs::listAllModules),
                new Route(GET, "/udfs/{tier}", READ, "The modules of one tier (wasm_udf, python_udf)", udfs::listModules),
                new Route(PUT, "/udfs/{tier}/{module}", ADMIN, "Register or replace a module", udfs::registerModule),
                new Route(GET, "/udfs/{tier}/{module}", READ, "Describe a module: functions, signatures, instances", udfs::describeModule),
                new Route(DELETE, "/udfs/{tier}/{module}", ADMIN, "Unload a module", udfs::unloadModule));
    }
}
