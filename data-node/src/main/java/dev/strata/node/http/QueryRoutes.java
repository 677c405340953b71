package dev.strata.node.http;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.api.Cursor;
import dev.strata.node.api.ExplainReply;
import dev.strata.node.exec.ExecutionReport;
import dev.strata.node.exec.QueryExecutor;
import dev.strata.node.exec.QueryService;
import dev.strata.node.logging.QueryLog;
import dev.strata.node.storage.Collection;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Queries and their plans: {@code /collections/{c}/query} and {@code /collections/{c}/explain}. */
final class QueryRoutes {
    private final Node node;

    QueryRoutes(Node node) { this.node = node; }

    /** The query parameters of a query; any other is refused. */
    static final java.util.Set<String> PARAMETERS = java.util.Set.of("q", "cursor", "explain", "profile", "scan", "timeout_ms", "strict",
            "facets", "facet_size");
    /** The members of a JSON query request (the page, sort and limit are written in the query text). */
    static final java.util.Set<String> MEMBERS = java.util.Set.of("query");

    /**
     * Runs a query; counts it in the metrics (collection, outcome: ok or the error's code, time)
     * and hands it to the query log and the slow-query log.
     */
    void query(Context ctx, boolean explainOnly) {
        long t0 = System.nanoTime();
        Ran ran = new Ran();
        try {
            run(ctx, explainOnly, ran);
            node.metrics().query(ctx.pathParam("c"), "ok", System.nanoTime() - t0, ran.report);
            node.queryLog().log(new QueryLog.Entry(ran.text, "ok", plan(ran.report), ran.matched, ran.returned, ran.planNanos,
                    ran.executeNanos, ran.writeNanos));
        } catch (StrataException e) {
            if (e.code() == ErrorCode.NOT_FOUND) throw e; // no such collection: not a query of one
            long ns = System.nanoTime() - t0;
            node.metrics().query(ctx.pathParam("c"), e.code().name(), ns, null);
            node.queryLog().log(new QueryLog.Entry(ran.text == null ? "" : ran.text, e.code().name(), "", 0, 0, 0, ns, 0));
            throw e;
        } catch (RuntimeException | Error e) { // a bug: counted and logged as INTERNAL, then the error reply
            long ns = System.nanoTime() - t0;
            node.metrics().query(ctx.pathParam("c"), ErrorCode.INTERNAL.name(), ns, null);
            node.queryLog().log(new QueryLog.Entry(ran.text == null ? "" : ran.text, ErrorCode.INTERNAL.name(), "", 0, 0, 0, ns, 0));
            throw e;
        }
    }

    /** What a run did, for the logs; filled as it goes, so an error still names the query. */
    private static final class Ran {
        String text;
        ExecutionReport report;
        long matched;
        long returned;
        long planNanos;
        long executeNanos;
        long writeNanos;
    }

    /** The plan in one line: the index's part, then each stage in the order it ran. */
    static String plan(ExecutionReport r) {
        if (r == null) return "";
        List<String> parts = new ArrayList<>();
        if (r.index() != null) parts.add("index " + r.index());
        r.stages().stream().sorted(java.util.Comparator.comparingInt(ExecutionReport.StageReport::position))
                .forEach(s -> parts.add("#" + s.position() + " " + s.tier() + " " + s.clause()));
        return parts.isEmpty() ? "every document" : String.join("; ", parts);
    }

    private void run(Context ctx, boolean explainOnly, Ran ran) {
        Requests.onlyParameters(ctx, PARAMETERS);
        Collection c = collectionOf(ctx);
        String text = Requests.queryParam(ctx, "q");
        if (ctx.method().name().equals("POST")) {
            Requests.requireContentType(ctx, Requests.QUERY);
            String body = Requests.body(ctx);
            String ct = ctx.contentType();
            if (ct != null && ct.toLowerCase(Locale.ROOT).startsWith("application/json")) {
                Value.ObjectValue o = Requests.jsonObject(ctx, "the query request");
                Requests.onlyMembers(o, MEMBERS, "the query request (LIMIT, ORDER BY and SET _score go in the query text)");
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
        String cursorToken = Requests.queryParam(ctx, "cursor");
        Cursor cursor = null;
        if (cursorToken != null) {
            if (text != null) {
                throw new StrataException(ErrorCode.INVALID_REQUEST, "give a query or a cursor, not both: the cursor carries its query");
            }
            cursor = Cursor.decode(cursorToken);
            text = cursor.query();
        }
        if (text == null) throw new StrataException(ErrorCode.INVALID_REQUEST, "no query: pass ?q=... or send the query text as the body");
        ran.text = text;
        boolean explain = explainOnly || Requests.flag(ctx, "explain");
        boolean profile = Requests.flag(ctx, "profile");
        String facetParam = Requests.queryParam(ctx, "facets");
        List<String> facetFields = facetParam == null ? List.of()
                : java.util.Arrays.stream(facetParam.split(",")).map(String::strip).filter(f -> !f.isEmpty()).toList();
        int facetSize = Requests.intParam(ctx, "facet_size", 10, 1, 1000);
        QueryExecutor.Page page = new QueryExecutor.Page(node.config().defaultPageSize(), cursor == null ? null : cursor.after(),
                facetFields, facetSize);
        if (!(node.fabric() instanceof dev.strata.node.cluster.LocalFabric)) {
            clusterQuery(ctx, c.name(), text, cursor, ran,
                    new dev.strata.node.cluster.DistributedQuery.Extras(explain, profile, facetFields, facetSize), explainOnly);
            return;
        }
        try (QueryService.Outcome o = node.queries().start(c, text, !Requests.flag(ctx, "scan"), Requests.timeoutMillis(ctx) * 1_000_000,
                Requests.flag(ctx, "strict"), page, node.config().maxPage())) {
            QueryExecutor.Result r = o.result();
            ran.report = r.report();
            ran.matched = r.total();
            ran.returned = r.groups() != null ? r.groups().rows().size() : r.hits().size();
            ran.planNanos = o.parseAndPlanNanos();
            ran.executeNanos = o.executeNanos();
            JsonOut out = JsonOut.object().put("total", r.total());
            if (r.next() != null) out.put("next", new Cursor(text, r.next()).encode());
            if (!r.facets().isEmpty()) out.put("facets", facets(r.facets()));
            if (r.groups() != null) {
                out.put("total_groups", r.groups().total());
                out.putList("groups", r.groups().rows().stream().<Value>map(Value.ObjectValue::new).toList());
            }
            if (explainOnly) out.put("took_ms", JsonOut.millis(o.parseAndPlanNanos() + o.executeNanos()));
            if (!o.warnings().isEmpty()) out.putList("warnings", o.warnings().stream().map(Value::of).toList());
            JsonOut after = JsonOut.object();
            if (explain) after.put("explain", ExplainReply.of(r.report()).toJson());
            if (profile) after.put("profile", dev.strata.node.api.ProfileReply.of(o, r.report()));
            if (explainOnly) {
                after.build().fields().forEach(out::put);
                Requests.send(ctx, 200, out);
                return;
            }
            long replyBytes = 0;
            for (QueryExecutor.Hit h : r.hits()) replyBytes += (h.json() == null ? 0 : h.json().length) + 2L * h.id().length() + 48;
            // the reply's bytes, and the buffer that grows to hold them, about twice its length
            o.run().memory().reserve(2 * replyBytes, "the reply of " + r.hits().size() + " hits");
            ctx.status(200).contentType("application/json").result(HitsReply.write(out, r.groups() != null ? null : r.hits(), writeNanos -> {
                // took_ms covers what the server did for the reply: planning, running and writing the hits
                ran.writeNanos = writeNanos;
                JsonOut timing = JsonOut.object().put("parse_and_plan_ms", JsonOut.millis(o.parseAndPlanNanos()))
                        .put("execute_ms", JsonOut.millis(o.executeNanos())).put("write_ms", JsonOut.millis(writeNanos));
                return after.put("took_ms", JsonOut.millis(o.parseAndPlanNanos() + o.executeNanos() + writeNanos)).put("timing", timing);
            }, replyBytes));
        }
    }

    /** A query on a cluster member: run on every member and merged ({@link dev.strata.node.cluster.DistributedQuery}). */
    private void clusterQuery(Context ctx, String collection, String text, Cursor cursor, Ran ran,
                              dev.strata.node.cluster.DistributedQuery.Extras extras, boolean explainOnly) {
        boolean explain = extras.explain();
        long t0 = System.nanoTime();
        var a = dev.strata.node.cluster.DistributedQuery.run(node, collection, text, cursor == null ? null : cursor.after(),
                node.config().defaultPageSize(), extras);
        ran.matched = a.total();
        ran.returned = a.groups() != null ? a.groups().rows().size() : a.hits().size();
        ran.executeNanos = System.nanoTime() - t0;
        JsonOut out = JsonOut.object().put("total", a.total()).put("members", a.members());
        if (a.next() != null) out.put("next", new Cursor(text, a.next()).encode());
        if (!a.facets().isEmpty()) out.put("facets", facets(a.facets()));
        if (a.groups() != null) {
            out.put("total_groups", a.groups().total());
            out.putList("groups", a.groups().rows().stream().<Value>map(Value.ObjectValue::new).toList());
        }
        JsonOut plans = explain ? perMember(a, "plan", dev.strata.node.cluster.DistributedQuery.MemberPlan::plan) : null;
        JsonOut profiles = extras.profile() ? perMember(a, "profile", dev.strata.node.cluster.DistributedQuery.MemberPlan::profile) : null;
        if (explainOnly) {
            Requests.send(ctx, 200, out.put("explain", plans).put("took_ms", JsonOut.millis(ran.executeNanos)));
            return;
        }
        JsonOut explained = plans;
        ctx.status(200).contentType("application/json").result(HitsReply.write(out, a.groups() != null ? null : a.hits(), writeNanos -> {
            ran.writeNanos = writeNanos;
            JsonOut after = JsonOut.object();
            if (explained != null) after.put("explain", explained);
            if (profiles != null) after.put("profile", profiles.put("merged_ms", JsonOut.millis(ran.executeNanos)));
            return after.put("took_ms", JsonOut.millis(ran.executeNanos + writeNanos));
        }, 1024));
    }

    /** {@code {"members": [{"member", "partitions", "matched", key: ...}]}}: what each member ran, one part of it per member. */
    private static JsonOut perMember(dev.strata.node.cluster.DistributedQuery.Answer a, String key,
                                     java.util.function.Function<dev.strata.node.cluster.DistributedQuery.MemberPlan, Value> part) {
        List<Value> members = new ArrayList<>();
        for (var p : a.plans()) {
            members.add(JsonOut.object().put("member", p.member()).putList("partitions", p.partitions().stream().map(x -> (Value) Value.of((long) x)).toList())
                    .put("matched", p.matched()).put(key, part.apply(p)).build());
        }
        return JsonOut.object().putList("members", members);
    }

    /** {@code {"field": {"buckets": [{"value", "count"}], "other": n, "missing": m}}}, fields in the order asked. */
    private static JsonOut facets(List<dev.strata.node.exec.Facets.Field> fields) {
        JsonOut out = JsonOut.object();
        for (var f : fields) {
            List<Value> buckets = new ArrayList<>();
            for (var b : f.buckets()) buckets.add(JsonOut.object().put("value", b.value()).put("count", b.count()).build());
            out.put(f.name(), JsonOut.object().putList("buckets", buckets).put("other", f.otherCount()).put("missing", f.missing()));
        }
        return out;
    }

    /** The request's collection; on a cluster member that is still joining, UNAVAILABLE (retry) rather than NOT_FOUND. */
    private Collection collectionOf(Context ctx) {
        String name = ctx.pathParam("c");
        return node.partitioned() != null ? node.partitioned().collection(name) : node.collection(name);
    }
}
