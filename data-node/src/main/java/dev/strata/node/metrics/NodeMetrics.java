package dev.strata.node.metrics;

import dev.strata.core.spi.TierHealth;
import dev.strata.core.spi.TierProvider;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.node.Node;
import dev.strata.node.exec.ExecutionReport;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.StorageObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The node's meters, named as Prometheus expects ({@code strata_} prefix, base units in the
 * name, {@code _total} counters, {@code _seconds} histograms). Latencies are histograms with
 * buckets, so a dashboard computes any quantile across nodes. Gauges over collections, UDF
 * modules and Python workers are read fresh at each scrape. Thread-safe.
 */
public final class NodeMetrics implements StorageObserver {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MultiGauge documents;
    private final MultiGauge segments;
    private final MultiGauge diskBytes;
    private final MultiGauge instances;
    private final MultiGauge instancesBusy;
    private final MultiGauge workers;
    private volatile Node node;

    public NodeMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        documents = MultiGauge.builder("strata.collection.documents").description("Live documents per collection").register(registry);
        segments = MultiGauge.builder("strata.collection.segments").description("Segments per collection").register(registry);
        diskBytes = MultiGauge.builder("strata.collection.disk").baseUnit("bytes")
                .description("Bytes of a collection's files on disk (segments, log, commit points)").register(registry);
        instances = MultiGauge.builder("strata.udf.instances").description("Pooled instances of a UDF module (WASM)").register(registry);
        instancesBusy = MultiGauge.builder("strata.udf.instances.busy").description("Pooled instances in use right now").register(registry);
        workers = MultiGauge.builder("strata.python.workers").description("Python worker processes by state").register(registry);
    }

    /** Starts reading the node's gauges (collections, tiers, the memory breaker); called once the node is open. */
    public void bind(Node n) {
        this.node = n;
        FunctionCounter.builder("strata.memory.breaker.trips", n, x -> x.memory().trips())
                .description("Requests refused because a memory budget would be crossed").register(registry);
        Gauge.builder("strata.memory.requests.reserved", n, x -> x.memory().reservedBytes()).baseUnit("bytes")
                .description("Heap reserved by running requests").register(registry);
        FunctionCounter.builder("strata.python.worker.restarts", this, m -> {
                    double replaced = m.pythonWorkers("replaced");
                    return Double.isNaN(replaced) ? 0 : replaced; // no worker pool (yet): none replaced
                })
                .description("Python worker processes replaced after a crash, a deadline or a limit").register(registry);
    }

    /** One HTTP request: its method, the route's template (not the raw path), the status and how long it took. */
    public void request(String method, String route, int status, long nanos) {
        Timer.builder("strata.http.requests").description("HTTP requests by route and status")
                .tags("method", method, "route", route, "status", Integer.toString(status))
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** One query that ran: its collection, outcome ({@code ok}, or an error code), time, and what its tiers and UDFs did. */
    public void query(String collection, String outcome, long nanos, ExecutionReport report) {
        Timer.builder("strata.queries").description("Queries by collection and outcome").tags("collection", collection, "outcome", outcome)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
        if (report == null) return;
        for (ExecutionReport.StageReport s : report.stages()) {
            Counter.builder("strata.tier.documents").description("Documents a tier's stages filtered").tag("tier", s.tier())
                    .register(registry).increment(s.docsIn());
            Counter.builder("strata.tier.seconds").description("Time in a tier's stages").tag("tier", s.tier())
                    .register(registry).increment(s.nanos() / 1e9);
        }
        for (ExecutionReport.UdfReport u : report.udfs()) {
            Tags t = Tags.of("tier", u.tier(), "function", u.function());
            Counter.builder("strata.udf.calls").description("Guest calls into a UDF (a batch counts once)").tags(t).register(registry)
                    .increment(u.calls());
            Counter.builder("strata.udf.documents").description("Documents a UDF evaluated").tags(t).register(registry).increment(u.rows());
            Counter.builder("strata.udf.reused").description("Documents answered from a deterministic UDF's earlier result").tags(t)
                    .register(registry).increment(u.reused());
            Counter.builder("strata.udf.seconds").description("Time inside a UDF").tags(t).register(registry).increment(u.nanos() / 1e9);
            Counter.builder("strata.udf.traps").description("UDF calls that trapped or hit a limit").tags(t).register(registry)
                    .increment(u.traps());
        }
    }

    @Override
    public void logSynced(String collection, long nanos) {
        Timer.builder("strata.wal.fsync").description("Write-ahead log fsyncs").tag("collection", collection)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofNanos(100_000)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void refreshed(String collection, long nanos, long docs) {
        Timer.builder("strata.refresh").description("Refreshes that sealed written documents into a segment").tag("collection", collection)
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
        Counter.builder("strata.refresh.documents").description("Documents sealed by refreshes").tag("collection", collection)
                .register(registry).increment(docs);
    }

    @Override
    public void merged(String collection, long nanos, int merged) {
        Timer.builder("strata.merge").description("Background merges").tag("collection", collection)
                .publishPercentileHistogram().register(registry).record(nanos, TimeUnit.NANOSECONDS);
        Counter.builder("strata.merge.segments").description("Segments merged away").tag("collection", collection)
                .register(registry).increment(merged);
    }

    /** The Prometheus text exposition of every meter, with the gauges read now. */
    public String scrape() {
        refreshGauges();
        return registry.scrape();
    }

    /** The content type of {@link #scrape}'s text. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private void refreshGauges() {
        Node n = node;
        if (n == null) return;
        List<MultiGauge.Row<?>> docs = new ArrayList<>();
        List<MultiGauge.Row<?>> segs = new ArrayList<>();
        List<MultiGauge.Row<?>> disk = new ArrayList<>();
        for (String name : n.collectionNames()) {
            Collection c;
            try {
                c = n.collection(name);
            } catch (RuntimeException e) {
                continue; // dropped meanwhile
            }
            var s = c.snapshot();
            Tags t = Tags.of("collection", name);
            docs.add(MultiGauge.Row.of(t, s.liveCount()));
            segs.add(MultiGauge.Row.of(t, s.segments().size()));
            disk.add(MultiGauge.Row.of(t, directoryBytes(n.config().dataDir().resolve("collections").resolve(name))));
        }
        documents.register(docs, true);
        segments.register(segs, true);
        diskBytes.register(disk, true);
        List<MultiGauge.Row<?>> inst = new ArrayList<>();
        List<MultiGauge.Row<?>> busy = new ArrayList<>();
        for (TierProvider p : n.queries().tiers().providers()) {
            if (p.modules().isEmpty()) continue;
            for (UdfModuleInfo m : p.modules().get().list()) {
                Tags t = Tags.of("tier", p.name(), "module", m.name());
                if (m.details().get("instances") instanceof Number x) inst.add(MultiGauge.Row.of(t, x));
                if (m.details().get("instancesBusy") instanceof Number x) busy.add(MultiGauge.Row.of(t, x));
            }
        }
        instances.register(inst, true);
        instancesBusy.register(busy, true);
        List<MultiGauge.Row<?>> w = new ArrayList<>();
        for (String state : List.of("running", "idle", "starting", "target")) {
            double v = pythonWorkers(state);
            if (!Double.isNaN(v)) w.add(MultiGauge.Row.of(Tags.of("state", state), v));
        }
        workers.register(w, true);
    }

    /** A number from the Python tier's worker details, NaN when there is no worker pool. */
    private double pythonWorkers(String key) {
        Node n = node;
        if (n == null) return Double.NaN;
        for (TierProvider p : n.queries().tiers().providers()) {
            TierHealth h = p.health();
            if (h.details().get("workers") instanceof Map<?, ?> m && m.get(key) instanceof Number x) return x.doubleValue();
        }
        return Double.NaN;
    }

    private static long directoryBytes(Path dir) {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0; // a file went away under the walk (a merge, a drop); the next scrape counts again
        }
    }
}
