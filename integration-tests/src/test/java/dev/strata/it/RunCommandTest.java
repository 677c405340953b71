package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's run command path: a real JVM process evaluating a query over the demo collection. */
class RunCommandTest {
    private record Outcome(int exit, String out, String err) {}

    private static Outcome run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.strata.node.cli.StrataMain"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out, err);
    }

    @Test
    void aQueryPrintsItsMatchesAsJsonLinesInOrder() throws Exception {
        Outcome o = run("category = 'phones' AND price > 1000 ORDER BY price DESC LIMIT 3");
        assertThat(o.exit()).as(o.err()).isZero();
        List<String> lines = o.out().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.subList(0, 3)).allSatisfy(l -> assertThat(l).startsWith("{\"_id\":\"p").contains("\"category\":\"phones\""));
        double previous = Double.MAX_VALUE;
        for (String l : lines.subList(0, 3)) {
            double price = ((dev.strata.core.value.Value.FloatValue) ((dev.strata.core.value.Value.ObjectValue)
                    dev.strata.core.value.Json.parse(l)).get("price")).value();
            assertThat(price).isGreaterThan(1000).isLessThanOrEqualTo(previous);
            previous = price;
        }
        assertThat(lines.get(3)).matches("\\d+ of 50 documents matched, 3 shown, in [0-9.]+ ms");
    }

    @Test
    void aBadQueryExitsWithTwoAndAPositionedMessage() throws Exception {
        Outcome o = run("price >");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).startsWith("strata: unexpected end of query; expected an expression at line 1, column 8");
    }

    @Test
    void aTypeErrorExitsWithTwo() throws Exception {
        Outcome o = run("category > 5");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.err()).startsWith("strata: cannot compare field category (string) with 5 (int) at line 1, column 1");
    }

    @Test
    void noQueryPrintsUsageWithAnExample() throws Exception {
        Outcome o = run();
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.out()).contains("usage: ./strata run").contains("try:");
    }
}
