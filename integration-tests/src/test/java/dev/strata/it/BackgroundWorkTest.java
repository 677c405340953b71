package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Background work that fails for real (a commit whose commit point cannot be written) is shown on
 * {@code /health}, does not stop the other background work, and recovers by itself once the
 * cause is gone; nothing acknowledged is lost.
 */
class BackgroundWorkTest {
    @TempDir Path dir;

    @Test
    void aFailingCommitDegradesHealthUntilItWorksAgainAndLosesNothing() throws Exception {
        Path data = dir.resolve("node");
        try (TestNode n = new TestNode(data, 1 << 20, c -> c.withCheckpointBytes(1))) {
            n.createCollection("c", null);
            // a directory (not empty) where a commit writes its temporary commit point: every commit fails (even as root)
            Path blocker = data.resolve("collections/c/commit.tmp");
            Files.createDirectories(blocker);
            Files.writeString(blocker.resolve("in-the-way"), "x");
            assertThat(n.json("PUT", "/collections/c/docs/a", "{\"v\":1}").status()).isEqualTo(201);

            TestNode.Response degraded = n.await("/health", r -> r.status() == 503);
            assertThat(degraded.get("status")).isEqualTo(Value.of("degraded"));
            Value.ObjectValue problem = (Value.ObjectValue) ((Value.ArrayValue) degraded.get("problems")).elements().get(0);
            assertThat(problem.get("component")).isEqualTo(Value.of("collection:c"));
            assertThat(problem.get("task")).isEqualTo(Value.of("commit"));
            assertThat(((Value.StringValue) problem.get("reason")).value()).contains("cannot commit collection c");
            assertThat(problem.get("since")).isInstanceOf(Value.StringValue.class);
            assertThat(degraded.get("collections", "c", "status")).isEqualTo(Value.of("degraded"));
            assertThat(((Value.ArrayValue) degraded.get("collections", "c", "problems")).elements().get(0).toString())
                    .contains("commit failing since");

            // refresh goes on meanwhile: a new write becomes visible to queries
            assertThat(n.json("PUT", "/collections/c/docs/b", "{\"v\":2}").status()).isEqualTo(201);
            n.await("/collections/c/query?q=v%20%3D%202", r -> r.status() == 200 && r.get("total").equals(Value.of(1L)));

            Files.delete(blocker.resolve("in-the-way"));
            Files.delete(blocker);
            assertThat(n.json("PUT", "/collections/c/docs/c", "{\"v\":3}").status()).isEqualTo(201);
            TestNode.Response healed = n.await("/health", r -> r.status() == 200);
            assertThat(healed.get("status")).isEqualTo(Value.of("ok"));
            assertThat(healed.get("collections", "c", "status")).isEqualTo(Value.of("ok"));
            try (var files = Files.list(data.resolve("collections/c"))) {
                assertThat(files.map(f -> f.getFileName().toString())).anyMatch(f -> f.startsWith("commit-"));
            }
        }
        try (TestNode again = new TestNode(data)) {
            assertThat(again.query("c", "v >= 1 ORDER BY v").ids()).containsExactly("a", "b", "c");
        }
    }
}
