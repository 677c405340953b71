package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /openapi.json} on a live node: every operation it describes is served there. */
class OpenApiRoutesTest {
    @TempDir Path dir;

    @Test
    void everyDescribedOperationIsServed() {
        try (TestNode n = new TestNode(dir)) {
            TestNode.Response doc = n.get("/openapi.json");
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.get("openapi")).isEqualTo(Value.of("3.0.3"));
            Value.ObjectValue paths = (Value.ObjectValue) doc.get("paths");
            int checked = 0;
            for (var p : paths.fields().entrySet()) {
                String path = p.getKey().replace("{c}", "nope").replace("{id}", "x").replace("{tier}", "wasm_udf").replace("{module}", "m");
                for (String method : ((Value.ObjectValue) p.getValue()).fields().keySet()) {
                    String m = method.toUpperCase(Locale.ROOT);
                    TestNode.Response r = path.equals("/metrics") ? null : n.send(m, path, m.equals("GET") || m.equals("DELETE") ? null
                            : "application/json", m.equals("GET") || m.equals("DELETE") ? null : "{}", true);
                    if (r != null) {
                        assertThat(r.status()).as(m + " " + path + ": " + r.raw()).isNotEqualTo(405);
                        assertThat(r.raw()).as(m + " " + path).doesNotContain("no such endpoint");
                    }
                    checked++;
                }
            }
            assertThat(checked).isGreaterThanOrEqualTo(20);
            assertThat(n.get("/no/such").raw()).as("the check above can fail").contains("no such endpoint");
        }
    }
}
