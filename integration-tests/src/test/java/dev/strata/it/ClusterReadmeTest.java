package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Running a cluster" block, as printed: its first line runs the real {@code
 * ./strata cluster --members 3} (three member JVMs on the README's loopback ports), and every
 * other line runs in bash against it and must exit 0 without an error in its output.
 */
class ClusterReadmeTest {
    @TempDir Path dir;
    private Process cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster == null) return;
        List<ProcessHandle> members = cluster.descendants().toList();
        cluster.destroy(); // SIGTERM: the script's trap stops its members
        if (!cluster.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)) cluster.destroyForcibly();
        for (ProcessHandle m : members) {
            if (m.isAlive()) m.destroyForcibly();
            ChildNode.waitGone(m);
        }
    }

    @Test
    void theClusterSectionRunsAsPrinted() throws Exception {
        Path repo = Path.of("..").toAbsolutePath().normalize();
        Matcher m = Pattern.compile("```cluster\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(repo.resolve("README.md")));
        assertThat(m.find()).as("the README has a cluster block").isTrue();
        List<String> lines = m.group(1).lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(0)).startsWith("./strata cluster");

        cluster = new ProcessBuilder("bash", "-c", lines.get(0).replace("./strata", repo.resolve("strata").toString()))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        cluster.getOutputStream().close();
        List<String> printed = new ArrayList<>();
        BufferedReader out = new BufferedReader(new InputStreamReader(cluster.getInputStream(), StandardCharsets.UTF_8));
        // the reader thread owns the script's output until the script ends
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (printed) {
                        printed.add(line);
                    }
                }
            } catch (java.io.IOException e) {
                // the script ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        Await.until("the cluster script to report its members", () -> {
            synchronized (printed) {
                if (!cluster.isAlive()) throw new AssertionError("the cluster script ended:\n" + String.join("\n", printed));
                return String.join("\n", printed);
            }
        }, s -> s.contains("Press Ctrl-C to stop the cluster."));
        String started;
        synchronized (printed) {
            started = String.join("\n", printed);
        }
        assertThat(started).contains("member 1: http://127.0.0.1:7700").contains("member 3: http://127.0.0.1:7702");
        for (int member = 0; member < 3; member++) {
            int port = 7700 + member;
            Await.until("member " + port + " in line", () -> run("curl -s localhost:" + port + "/cluster"),
                    s -> s.contains("\"in_line\":true") && s.contains("\"settled\":true") && s.split("\"address\"").length == 4);
        }

        List<String> outputs = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String o = run(line);
            assertThat(o).as(line).isNotBlank().doesNotContain("\"error\"");
            outputs.add(o);
        }
        String joined = String.join("\n", outputs);
        assertThat(outputs.get(0)).as("GET /cluster").contains("\"fabric\":\"distributed\"").contains("\"quorum\":true");
        assertThat(joined).contains("\"indexed\":3");
        String query = outputs.stream().filter(o -> o.contains("\"hits\"")).findFirst().orElseThrow();
        assertThat(query).contains("\"total\":2").contains("\"members\":3").contains("Dune").contains("Ulysses").doesNotContain("Emma");
        assertThat(joined).contains("\"partitions\":[").contains("\"Emma\"");
    }

    /** One README line in bash, in the cluster's directory; it must exit 0. */
    private String run(String line) {
        try {
            Process p = new ProcessBuilder("bash", "-c", line).directory(dir.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(line + "\nstdout: " + out + "\nstderr: " + err).isZero();
            return out;
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
