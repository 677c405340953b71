package dev.strata.node.http;

import dev.strata.core.StrataException;
import dev.strata.node.Node;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;

/**
 * The node's HTTP API. {@link #create} builds the app without starting it, so tests start it on a
 * random port. This class is the route table; each concern has its own class ({@link NodeRoutes},
 * {@link CollectionRoutes}, {@link QueryRoutes}, {@link UdfRoutes}), the edge checks live in
 * {@link Requests} and every failure becomes JSON in {@link ErrorReplies}. Endpoints (all JSON
 * unless noted):
 *
 * <pre>
 * GET    /health                                     200 ok, or 503 starting / degraded / failed with why
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
    /** Where to listen and how much to accept. */
    public record Settings(String host, int port, long maxBodyBytes) {
        public static final Settings DEFAULT = new Settings("127.0.0.1", 7700, 100L << 20);
    }

    private HttpApi() {}

    /** Builds the app; call {@code start()} on it. */
    public static Javalin create(Node node, Settings settings) {
        ErrorReplies errors = new ErrorReplies(node, settings.maxBodyBytes());
        NodeRoutes nodeRoutes = new NodeRoutes(node);
        CollectionRoutes collections = new CollectionRoutes(node);
        QueryRoutes queries = new QueryRoutes(node);
        UdfRoutes udfs = new UdfRoutes(node);
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
            config.routes.get("/health", nodeRoutes::health);
            config.routes.get("/stats", nodeRoutes::stats);
            config.routes.get("/collections", collections::listCollections);
            config.routes.put("/collections/{c}", collections::createCollection);
            config.routes.delete("/collections/{c}", collections::dropCollection);
            config.routes.get("/collections/{c}", collections::describeCollection);
            config.routes.post("/collections/{c}/refresh", collections::refresh);
            config.routes.put("/collections/{c}/docs/{id}", collections::putDocument);
            config.routes.post("/collections/{c}/docs", collections::postDocument);
            config.routes.get("/collections/{c}/docs/{id}", collections::getDocument);
            config.routes.delete("/collections/{c}/docs/{id}", collections::deleteDocument);
            config.routes.post("/collections/{c}/bulk", collections::bulk);
            config.routes.get("/collections/{c}/query", ctx -> queries.query(ctx, false));
            config.routes.post("/collections/{c}/query", ctx -> queries.query(ctx, false));
            config.routes.get("/collections/{c}/explain", ctx -> queries.query(ctx, true));
            config.routes.post("/collections/{c}/explain", ctx -> queries.query(ctx, true));
            config.routes.get("/udfs", udfs::listAllModules);
            config.routes.get("/udfs/{tier}", udfs::listModules);
            config.routes.put("/udfs/{tier}/{module}", udfs::registerModule);
            config.routes.get("/udfs/{tier}/{module}", udfs::describeModule);
            config.routes.delete("/udfs/{tier}/{module}", udfs::unloadModule);
        });
    }
}
