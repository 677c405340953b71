package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A document's source comes back as the bytes it arrived as (number spelling, escapes, key order
 * and spacing kept, {@code _id} taken out): from the buffer, from a segment file among others
 * and after a restart, through both a query and a GET by id.
 */
class StoredSourceTest {
    @TempDir Path dir;

    private static final String SOURCE = "{\"p\": 1.50, \"s\":\"caf\\u00e9 \\\"x\\\"\",\"big\":1e2 ,\"z\":[ ], \"a\":{\"k\":-0.0}}";

    @Test
    void sourcesAreReturnedAsTheyArrived() {
        Path data = dir.resolve("node");
        String line = "{\"_id\":\"d1\", " + SOURCE.substring(1);
        try (TestNode n = new TestNode(data)) {
            n.createCollection("c", null);
            TestNode.Response bulk = n.send("POST", "/collections/c/bulk", "application/x-ndjson", line + "\n", false);
            assertThat(bulk.status()).as(bulk.raw()).isEqualTo(200);
            assertRaw(n.get("/collections/c/docs/d1").raw());
            n.await("/collections/c/query?q=p%20%3D%201.5", r -> r.status() == 200 && r.get("total").equals(Value.of(1L)));
            assertRaw(n.query("c", "p = 1.5").raw());
            for (int i = 0; i < 8; i++) { // more segments beside it
                n.json("PUT", "/collections/c/docs/x" + i + "?refresh=true", "{\"p\":" + i + "}");
            }
            assertRaw(n.query("c", "p = 1.5").raw());
        }
        try (TestNode again = new TestNode(data)) {
            assertRaw(again.query("c", "p = 1.5").raw());
            assertRaw(again.get("/collections/c/docs/d1").raw());
        }
    }

    /** The reply holds the source as sent: a bulk line's text after its "_id" member. */
    private static void assertRaw(String reply) {
        assertThat(reply).contains("\"_source\":{ " + SOURCE.substring(1) + "}"); // the member and its comma cut out, the space after kept
    }
}
