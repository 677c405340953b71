package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata load} against a real node with a small heap: a bulk the node refuses for now (429,
 * over its memory budget) is sent again with back-off and, when it never fits, the load fails
 * with the node's reason and writes nothing; smaller bulks go through.
 */
class LoadRetryTest {
    @TempDir Path dir;

    @Test
    void aBulkOverTheNodesBudgetIsRetriedThenReportedAndSmallerBulksLoad() throws Exception {
        Path file = dir.resolve("big.ndjson");
        StringBuilder b = new StringBuilder();
        String pad = "x".repeat(250_000);
        for (int i = 0; i < 200; i++) b.append("{\"_id\":\"b").append(i).append("\",\"n\":").append(i).append(",\"pad\":\"").append(pad).append("\"}\n");
        Files.writeString(file, b); // 50 MB: one bulk of it is accounted at 8x, past 60% of a 512 MB heap
        try (ChildNode node = ChildNode.start(dir.resolve("node"), List.of("-Xmx512m"))) {
            node.createCollection("big", null);
            RunCommandTest.Outcome refused = RunCommandTest.run("load", file.toString(), "-c", "big", "--url", node.url, "--token", ChildNode.TOKEN,
                    "--batch", "200", "--parallel", "1", "--retries", "2");
            assertThat(refused.exit()).as(refused.err()).isEqualTo(2); // the node refused it: a 4xx, exit 2
            assertThat(refused.err()).contains("the node answered 429").contains("retry 1 of 2").contains("retry 2 of 2");
            assertThat(refused.err()).contains("memory budget");
            TestNode.Response none = node.query("big", "n >= 0 LIMIT 0");
            assertThat(none.get("total")).as("a refused bulk writes nothing").isEqualTo(Value.of(0L));

            RunCommandTest.Outcome loaded = RunCommandTest.run("load", file.toString(), "-c", "big", "--url", node.url, "--token", ChildNode.TOKEN, "--batch", "10");
            assertThat(loaded.exit()).as(loaded.err()).isZero();
            assertThat(loaded.out()).contains("loaded 200 documents into big (0 failed)");
        }
    }
}
