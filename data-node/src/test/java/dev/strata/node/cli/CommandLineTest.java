package dev.strata.node.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandLineTest {
    @Test
    void everyOptionAndParameterOfEveryCommandIsDescribed() {
        List<String> missing = new ArrayList<>();
        walk(StrataMain.commandLine(), missing);
        assertThat(missing).as("options without a description in --help").isEmpty();
    }

    private static void walk(CommandLine cl, List<String> missing) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        for (CommandLine.Model.OptionSpec o : spec.options()) {
            if (o.description().length == 0 || o.description()[0].isBlank()) missing.add(spec.qualifiedName() + " " + o.longestName());
        }
        for (CommandLine.Model.PositionalParamSpec p : spec.positionalParameters()) {
            if (p.description().length == 0 || p.description()[0].isBlank()) missing.add(spec.qualifiedName() + " " + p.paramLabel());
        }
        for (CommandLine sub : cl.getSubcommands().values()) walk(sub, missing);
    }

    @Test
    void urlTakesHostAndPortAsWellAsAUrl() {
        assertThat(NodeClient.baseUrl("localhost:7700")).isEqualTo("http://localhost:7700");
        assertThat(NodeClient.baseUrl("http://127.0.0.1:7700/")).isEqualTo("http://127.0.0.1:7700");
        assertThat(NodeClient.baseUrl("https://strata.example:443")).isEqualTo("https://strata.example:443");
        assertThat(NodeClient.baseUrl("[::1]:7700")).isEqualTo("http://[::1]:7700");
        assertThatThrownBy(() -> NodeClient.baseUrl("ftp://x:1")).hasMessageContaining("give host:port or http://host:port");
        assertThatThrownBy(() -> NodeClient.baseUrl("http://x:1/collections")).hasMessageContaining("is not a node's address");
    }
}
