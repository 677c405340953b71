package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code strata load} against a real node with a small heap: a bulk the node refuses for now (429,
 * over its memory budget) is sent again with back-off and, when it never fits, the load fails
 * with the node's reason and writes nothing; smaller bulks go through.
 */
class LoadRetryTest {
    @TempDir Path dir;

    private record Outcome(int exit, String out, String err) {}

    private static Outcome cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.strata.node.cli.StrataMain"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out, err);
    }

    @Test
    void aBulkOverTheNodesBudgetIsRetriedThenReportedAndSmallerBulksLoad() throws Exception {
        Path file = dir.resolve("big.ndjson");
        StringBuilder b = new StringBuilder();
        String pad = "x".repeat(250_000);
        for (int i = 0; i < 200; i++) b.append("{\"_id\":\"b").append(i).append("\",\"n\":").append(i).append(",\"pad\":\"").append(pad).append("\"}\n");
        Files.writeString(file, b); // 50 MB: one bulk of it is accounted at 8x, past 60% of a 512 MB heap
        try (ChildNode node = ChildNode.start(dir.resolve("node"), List.of("-Xmx512m"))) {
            node.createCollection("big", null);
            Outcome refused = cli("load", file.toString(), "-c", "big", "--url", node.url, "--token", ChildNode.TOKEN,
                    "--batch", "200", "--parallel", "1", "--retries", "2");
            assertThat(refused.exit()).as(refused.err()).isEqualTo(2); // the node refused it: a 4xx, exit 2
            assertThat(refused.err()).contains("the node answered 429").contains("retry 1 of 2").contains("retry 2 of 2");
            assertThat(refused.err()).contains("memory budget");
            TestNode.Response none = node.query("big", "n >= 0 LIMIT 0");
            assertThat(none.get("total")).as("a refused bulk writes nothing").isEqualTo(Value.of(0L));

            Outcome loaded = cli("load", file.toString(), "-c", "big", "--url", node.url, "--token", ChildNode.TOKEN, "--batch", "10");
            assertThat(loaded.exit()).as(loaded.err()).isZero();
            assertThat(loaded.out()).contains("loaded 200 documents into big (0 failed)");
        }
    }
}
