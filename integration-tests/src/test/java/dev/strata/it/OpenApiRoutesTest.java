package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /openapi.json} on a live node: every operation it describes is served there. */
class OpenApiRoutesTest {
    @TempDir Path dir;

    @Test
    void everyDescribedOperationIsServed() throws Exception {
        try (TestNode n = new TestNode(dir)) {
            TestNode.Response doc = n.get("/openapi.json");
            assertThat(doc.status()).isEqualTo(200);
            assertThat(doc.get("openapi")).isEqualTo(Value.of("3.0.3"));
            Value.ObjectValue paths = (Value.ObjectValue) doc.get("paths");
            int checked = 0;
            HttpClient http = HttpClient.newHttpClient();
            for (var p : paths.fields().entrySet()) {
                String path = p.getKey().replace("{c}", "nope").replace("{id}", "x").replace("{tier}", "wasm_udf").replace("{module}", "m")
                        .replace("{file}", "console.js");
                for (String method : ((Value.ObjectValue) p.getValue()).fields().keySet()) {
                    String m = method.toUpperCase(Locale.ROOT);
                    boolean body = !(m.equals("GET") || m.equals("DELETE"));
                    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(n.base + path)).header("Authorization", "Bearer " + TestNode.TOKEN)
                            .method(m, body ? HttpRequest.BodyPublishers.ofString("{}") : HttpRequest.BodyPublishers.noBody());
                    if (body) b.header("Content-Type", "application/json");
                    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString()); // any content type: raw
                    assertThat(r.statusCode()).as(m + " " + path + ": " + r.body()).isNotEqualTo(405);
                    assertThat(r.body()).as(m + " " + path).doesNotContain("no such endpoint");
                    checked++;
                }
            }
            assertThat(checked).isGreaterThanOrEqualTo(20);
            assertThat(n.get("/no/such").raw()).as("the check above can fail").contains("no such endpoint");
        }
    }
}
