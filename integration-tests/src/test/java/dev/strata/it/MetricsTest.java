package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.wasm.WatFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics}: the Prometheus text format, with what requests, queries, tiers, UDFs and storage did. */
class MetricsTest {
    @TempDir Path dir;

    @Test
    void metricsCountRequestsQueriesTiersUdfsAndStorageInPrometheusFormat() throws Exception {
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("c", null);
            StringBuilder bulk = new StringBuilder();
            for (int i = 0; i < 50; i++) bulk.append("{\"_id\":\"d").append(i).append("\",\"price\":").append(i).append(",\"qty\":2}\n");
            assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
            assertThat(n.send("PUT", "/udfs/wasm_udf/math", "application/json", WasmUdfHttpTest.module(WatFixtures.text("math"), Map.of()), true)
                    .status()).isEqualTo(201);
            assertThat(n.query("c", "price * qty > 10 AND wasm_udf('math.add', qty, 1) = 3").status()).isEqualTo(200);
            assertThat(n.query("c", "price >").status()).isEqualTo(400);
            assertThat(n.get("/no/such/thing").status()).isEqualTo(404);

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(n.base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            String m = r.body();
            assertThat(value(m, "strata_http_requests_seconds_count{method=\"POST\",route=\"/collections/{c}/query\",status=\"200\"}")).isEqualTo(1);
            assertThat(m).as("latency is a histogram").contains("strata_http_requests_seconds_bucket{method=\"POST\",route=\"/collections/{c}/query\",status=\"200\",le=");
            assertThat(value(m, "strata_http_requests_seconds_count{method=\"GET\",route=\"unmatched\",status=\"404\"}")).isEqualTo(1);
            assertThat(value(m, "strata_queries_seconds_count{collection=\"c\",outcome=\"ok\"}")).isEqualTo(1);
            assertThat(value(m, "strata_queries_seconds_count{collection=\"c\",outcome=\"QUERY_SYNTAX\"}")).isEqualTo(1);
            assertThat(value(m, "strata_tier_documents_total{tier=\"expression\"}")).as("the expression stage saw every document").isEqualTo(50);
            assertThat(value(m, "strata_udf_documents_total{function=\"math.add\",tier=\"wasm_udf\"}")).as("only the survivors").isEqualTo(44);
            assertThat(value(m, "strata_udf_traps_total{function=\"math.add\",tier=\"wasm_udf\"}")).isZero();
            assertThat(value(m, "strata_udf_instances{module=\"math\",tier=\"wasm_udf\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(m, "strata_wal_fsync_seconds_count{collection=\"c\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(m, "strata_refresh_seconds_count{collection=\"c\"}")).isGreaterThanOrEqualTo(1);
            assertThat(value(m, "strata_collection_documents{collection=\"c\"}")).isEqualTo(50);
            assertThat(value(m, "strata_collection_disk_bytes{collection=\"c\"}")).isPositive();
            assertThat(m).contains("jvm_memory_used_bytes{").contains("strata_memory_breaker_trips_total ")
                    .contains("strata_python_worker_restarts_total ");
        }
    }

    /** The value of the sample named exactly {@code series} (name and labels as printed). */
    private static double value(String metrics, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
        assertThat(m.find()).as("no sample " + series + " in\n" + metrics.lines().filter(l -> l.startsWith("strata_")).toList()).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
