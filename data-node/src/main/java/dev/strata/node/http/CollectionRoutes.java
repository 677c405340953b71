package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.StrataException;
import dev.strata.core.memory.MemoryBudget;
import dev.strata.core.memory.Sizes;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.Node;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import dev.strata.node.storage.Snapshot;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Collections, documents and bulks. */
final class CollectionRoutes {
    private final Node node;

    CollectionRoutes(Node node) { this.node = node; }

    void listCollections(Context ctx) {
        Requests.send(ctx, 200, JsonOut.object().putList("collections", node.collectionNames().stream().map(Value::of).toList()));
    }

    void createCollection(Context ctx) {
        Requests.requireContentType(ctx, Requests.JSON);
        Mappings mappings = Mappings.NONE;
        int maxFields = 0;
        if (!Requests.body(ctx).isBlank()) {
            Value.ObjectValue body = Requests.jsonObject(ctx, "the collection settings");
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
        Collection c;
        if (cluster() != null) {
            cluster().create(ctx.pathParam("c"), mappings, maxFields);
            c = node.collection(ctx.pathParam("c"));
        } else {
            c = node.create(ctx.pathParam("c"), mappings, maxFields);
        }
        Requests.send(ctx, 201, JsonOut.object().put("collection", c.name()).put("mappings", c.mappings().toJson())
                .put("max_fields", c.fields().max()));
    }

    void dropCollection(Context ctx) {
        if (cluster() != null) cluster().drop(ctx.pathParam("c"));
        else node.drop(ctx.pathParam("c"));
        Requests.send(ctx, 200, JsonOut.object().put("deleted", ctx.pathParam("c")));
    }

    void describeCollection(Context ctx) {
        Collection c = collectionOf(ctx);
        Snapshot s = c.snapshot();
        JsonOut fields = JsonOut.object();
        s.schema().byColumnKey().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> fields.putList(
                dev.strata.core.value.FieldPath.display(e.getKey()),
                e.getValue().stream().sorted().map(ValueKind::display).map(Value::of).toList()));
        long deleted = s.segments().stream().mapToLong(x -> x.deleted().getCardinality()).sum();
        Requests.send(ctx, 200, JsonOut.object().put("collection", c.name()).put("documents", s.liveCount())
                .put("pending", c.pendingCount()).put("segments", s.segments().size()).put("deleted", deleted)
                .put("log_bytes", c.logBytes()).put("mappings", c.mappings().toJson())
                .put("field_paths", c.fields().size()).put("max_fields", c.fields().max()).put("fields", fields));
    }

    void refresh(Context ctx) {
        Collection c = collectionOf(ctx);
        refreshAll(c);
        Requests.send(ctx, 200, JsonOut.object().put("collection", c.name()).put("documents", c.snapshot().liveCount()));
    }

    void putDocument(Context ctx) {
        Collection c = collectionOf(ctx);
        Requests.requireContentType(ctx, Requests.JSON);
        Collection.Document d = Requests.document(ctx);
        String id = Requests.pathParam(ctx, "id");
        if (d.id() != null && !d.id().equals(id)) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "the body's _id '" + d.id() + "' differs from the id in the URL '" + id + "'");
        }
        writeOne(ctx, c, new Collection.Document(id, d.source(), d.json()));
    }

    void postDocument(Context ctx) {
        Collection c = collectionOf(ctx);
        Requests.requireContentType(ctx, Requests.JSON);
        writeOne(ctx, c, Requests.document(ctx));
    }

    private void writeOne(Context ctx, Collection c, Collection.Document d) {
        Collection.Bulk b = write(c, List.of(d));
        if (b.rejectedCount() > 0) throw b.rejected().get(0).error();
        Collection.Written w = b.written().get(0);
        if (Requests.flag(ctx, "refresh")) refreshAll(c);
        Requests.send(ctx, w.created() ? 201 : 200, JsonOut.object().put("_id", w.id()).put("result", w.created() ? "created" : "updated"));
    }

    void getDocument(Context ctx) {
        Collection c = collectionOf(ctx);
        String id = Requests.pathParam(ctx, "id");
        byte[] d = cluster() != null ? cluster().getJson(c.name(), id) : c.getJson(id);
        if (d == null) throw new StrataException(ErrorCode.NOT_FOUND, "no document '" + id + "' in collection '" + c.name() + "'");
        ctx.status(200).contentType("application/json").result(HitsReply.document(id, d));
    }

    void deleteDocument(Context ctx) {
        Collection c = collectionOf(ctx);
        String id = Requests.pathParam(ctx, "id");
        boolean existed = cluster() != null ? cluster().delete(c.name(), id) : c.delete(id);
        if (!existed) throw new StrataException(ErrorCode.NOT_FOUND, "no document '" + id + "' in collection '" + c.name() + "'");
        if (Requests.flag(ctx, "refresh")) refreshAll(c);
        Requests.send(ctx, 200, JsonOut.object().put("_id", id).put("result", "deleted"));
    }

    /** Parsed JSON takes about this many times the bytes of its text on the heap (objects, maps, boxed values). */
    private static final long PARSE_EXPANSION = 8;

    /**
     * Writes a bulk. Its body, parsed, is accounted against the node's memory breaker before it is
     * read (429 when the node cannot take it now). The reply describes the first
     * {@value Collection#MAX_REJECTED_SHOWN} failed lines and counts the rest.
     */
    void bulk(Context ctx) {
        Collection c = collectionOf(ctx);
        Requests.requireContentType(ctx, Requests.BULK);
        long t0 = System.nanoTime();
        try (MemoryBudget inFlight = node.memory().newBudget(Long.MAX_VALUE)) {
            long announced = Math.max(0, ctx.contentLength());
            try {
                inFlight.reserve(announced * PARSE_EXPANSION, "a bulk of " + Sizes.of(announced));
            } catch (StrataException e) {
                Requests.discardBody(ctx, announced); // so the client reads the 429 instead of a connection cut mid-send
                throw e;
            }
            String body = Requests.body(ctx);
            inFlight.reserve((body.length() - announced) * PARSE_EXPANSION, "a bulk of " + Sizes.of(body.length()));
            BulkParser.Parsed parsed = BulkParser.parse(body);
            Collection.Bulk result = write(c, parsed.documents());
            List<Collection.Written> written = result.written();
            if (Requests.flag(ctx, "refresh")) refreshAll(c);
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
            Requests.send(ctx, 200, out.put("took_ms", JsonOut.millis(System.nanoTime() - t0)));
        }
    }

    /** On a cluster member, where writes go (each partition's owner and backup); null on a node that runs alone. */
    private dev.strata.node.cluster.ClusterWrites cluster() {
        dev.strata.node.cluster.PartitionedStore p = node.partitioned();
        return p == null ? null : p.writes();
    }

    private Collection.Bulk write(Collection c, List<Collection.Document> docs) {
        return cluster() != null ? cluster().bulk(c.name(), docs) : c.bulk(docs);
    }

    private void refreshAll(Collection c) {
        if (cluster() != null) cluster().refresh(c.name());
        else c.refresh();
    }

    /** The request's collection; on a cluster member that is still joining, UNAVAILABLE (retry) rather than NOT_FOUND. */
    private Collection collectionOf(Context ctx) {
        String name = ctx.pathParam("c");
        return node.partitioned() != null ? node.partitioned().collection(name) : node.collection(name);
    }
}
