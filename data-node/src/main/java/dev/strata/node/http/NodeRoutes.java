package dev.strata.node.http;

import dev.strata.core.memory.MemoryBreaker;
import dev.strata.core.spi.TierHealth;
import dev.strata.core.value.Value;
import dev.strata.node.Node;
import dev.strata.node.exec.QueryService;
import dev.strata.node.health.NodeHealth;
import dev.strata.node.storage.Snapshot;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code GET /health} and {@code GET /stats}: how the node is doing. */
final class NodeRoutes {
    private final Node node;

    NodeRoutes(Node node) { this.node = node; }

    /**
     * 200 with {@code "status": "ok"} when nothing is wrong; otherwise 503 with {@code starting}
     * (tiers loading, nobody needs to act), {@code degraded} (background work failing and being
     * retried, a tier that cannot serve) or {@code failed} (a fatal error: restart the node), and
     * each problem with since when and why.
     */
    void health(Context ctx) {
        List<Value> problems = new ArrayList<>();
        for (NodeHealth.Problem p : node.health().problems()) {
            problems.add(JsonOut.object().put("component", p.component()).put("task", p.task()).put("since", p.since().toString())
                    .put("failures", p.failures()).put("reason", p.reason()).build());
        }
        String status = problems.isEmpty() ? "ok" : "degraded";
        JsonOut collections = JsonOut.object();
        for (String name : node.collectionNames()) {
            String component = Node.component(name);
            List<Value> own = node.health().problems().stream().filter(p -> p.component().equals(component))
                    .map(p -> (Value) Value.of(p.task() + " failing since " + p.since() + " (" + p.failures() + " time(s)): " + p.reason()))
                    .toList();
            String readOnly = node.collection(name).readOnlyReason();
            JsonOut c = JsonOut.object().put("status", readOnly != null ? "read_only" : own.isEmpty() ? "ok" : "degraded");
            if (readOnly != null) {
                c.put("read_only", "writes are refused: " + readOnly);
                status = "degraded";
            }
            if (!own.isEmpty()) c.putList("problems", own);
            collections.put(name, c);
        }
        node.unopenedCollections().forEach((name, why) -> collections.put(name, JsonOut.object().put("status", "failed")
                .putList("problems", List.of(Value.of(why)))));
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
        JsonOut out = JsonOut.object().put("status", status).put("collections", collections);
        if (node.health().fatalReason() != null) out.put("fatal", node.health().fatalReason());
        out.putList("problems", problems).put("tiers", tiers);
        Requests.send(ctx, status.equals("ok") ? 200 : 503, out);
    }

    void stats(Context ctx) {
        List<Value> cs = new ArrayList<>();
        for (String name : node.collectionNames()) {
            Snapshot s = node.collection(name).snapshot();
            cs.add(JsonOut.object().put("name", name).put("documents", s.liveCount()).put("segments", s.segments().size()).build());
        }
        QueryService q = node.queries();
        Requests.send(ctx, 200, JsonOut.object()
                .putList("collections", cs)
                .putList("tiers", q.tiers().names().stream().map(Value::of).toList())
                .put("plan_cache", JsonOut.object().put("size", q.cache().size()).put("hits", q.cache().hits()).put("misses", q.cache().misses()))
                .put("memory", memory())
                .put("durability", node.config().durability().name().toLowerCase(Locale.ROOT)));
    }

    /**
     * {@code GET /cluster}: the members, the partitions and which of them this member owns;
     * {@code in_line} is true once every partition it owns has a ready copy and its backups are synced.
     */
    void cluster(io.javalin.http.Context ctx) {
        var f = node.fabric();
        List<Value> members = new java.util.ArrayList<>();
        for (var m : f.members()) members.add(JsonOut.object().put("id", m.id()).put("address", m.address()).put("local", m.local()).build());
        Requests.send(ctx, 200, JsonOut.object().put("fabric", f instanceof dev.strata.node.cluster.LocalFabric ? "local" : "distributed")
                .put("member", f.localMember().id()).putList("members", members).put("partitions", f.partitionCount())
                .putList("owned", f.ownedPartitions().stream().map(p -> (Value) Value.of((long) p)).toList()).put("quorum", f.hasQuorum())
                .put("settled", f.settled())
                .put("in_line", node.partitioned() == null || node.partitioned().inLine()));
    }

    /** {@code GET /metrics}: the Prometheus text exposition. */
    void metrics(io.javalin.http.Context ctx) {
        ctx.status(200).contentType(dev.strata.node.metrics.NodeMetrics.CONTENT_TYPE).result(node.metrics().scrape());
    }

    /** The heap and the memory breaker: what requests hold now, their limits, and how often a budget tripped. */
    private JsonOut memory() {
        MemoryBreaker m = node.memory();
        Runtime rt = Runtime.getRuntime();
        return JsonOut.object().put("heap_max_bytes", MemoryBreaker.maxHeap()).put("heap_used_bytes", rt.totalMemory() - rt.freeMemory())
                .put("heap_live_bytes", m.liveHeapBytes()).put("requests_reserved_bytes", m.reservedBytes())
                .put("requests_limit_bytes", m.limitBytes()).put("query_limit_bytes", m.queryLimitBytes()).put("trips", m.trips());
    }
}
