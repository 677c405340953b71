package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node process's logs: JSON lines with time, level, logger, request id and collection; the query and slow-query logs. */
class LogsTest {
    @TempDir Path dir;

    @Test
    void logsAreJsonLinesAndQueriesAreLoggedWithTheirPlanAndTimings() {
        try (ChildNode n = ChildNode.start(dir.resolve("data"), List.of(), "--log-queries", "--slow-query-ms", "0", "--log-level", "info")) {
            n.createCollection("c", null);
            assertThat(n.send("PUT", "/collections/c/docs/a?refresh=true", "application/json", "{\"n\":1,\"note\":\"line\\nbreak \\\"quoted\\\"\"}", false)
                    .status()).isEqualTo(201);
            assertThat(n.query("c", "n * 2 > 1").status()).isEqualTo(200);
            assertThat(n.query("c", "n >").status()).isEqualTo(400);
            List<Value.ObjectValue> queries = Await.until("the query log", () -> jsonLines(n).stream()
                    .filter(o -> Value.of("strata.query").equals(o.get("logger"))).toList(), l -> l.size() >= 2);
            Value.ObjectValue ok = queries.get(0);
            assertThat(ok.get("level")).isEqualTo(Value.of("INFO"));
            assertThat(((Value.StringValue) ok.get("timestamp")).value()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(ok.get("query")).isEqualTo(Value.of("n * 2 > 1"));
            assertThat(ok.get("collection")).isEqualTo(Value.of("c"));
            assertThat(((Value.StringValue) ok.get("request_id")).value()).matches("[0-9a-f]{16}");
            assertThat(ok.get("plan")).isEqualTo(Value.of("#1 expression n * 2 > 1"));
            assertThat(ok.get("matched")).isEqualTo(Value.of(1L));
            assertThat(ok.get("took_ms")).isInstanceOf(Value.FloatValue.class);
            assertThat(queries.get(1).get("outcome")).isEqualTo(Value.of("QUERY_SYNTAX"));
            assertThat(jsonLines(n).stream().filter(o -> Value.of("strata.slow_query").equals(o.get("logger"))).toList())
                    .as("the slow-query log is off at 0").isEmpty();
        }
        try (ChildNode n = ChildNode.start(dir.resolve("data"), List.of(), "--slow-query-ms", "1", "--log-level", "warn")) {
            assertThat(n.query("c", "n * 2 > 1 AND n + 1 > 1").status()).isEqualTo(200);
            Value.ObjectValue slow = Await.until("the slow-query log", () -> jsonLines(n).stream()
                    .filter(o -> Value.of("strata.slow_query").equals(o.get("logger"))).toList(), l -> !l.isEmpty()).get(0);
            assertThat(slow.get("level")).isEqualTo(Value.of("WARN"));
            assertThat(slow.get("threshold_ms")).isEqualTo(Value.of(1L));
            assertThat(jsonLines(n).stream().filter(o -> Value.of("INFO").equals(o.get("level"))).toList())
                    .as("--log-level warn leaves INFO out").isEmpty();
        }
    }

    /** Every line of the node's output that is a log line, parsed; a line that starts like JSON must be JSON. */
    private static List<Value.ObjectValue> jsonLines(ChildNode n) {
        return n.output().lines().filter(l -> l.startsWith("{")).map(l -> (Value.ObjectValue) Json.parse(l)).toList();
    }
}
