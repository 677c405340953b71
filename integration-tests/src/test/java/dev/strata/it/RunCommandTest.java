package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command as real processes: {@code serve} on a fresh data directory loads the
 * demo collection and prints a ready-to-paste query; the {@code query}, {@code explain} and
 * {@code load} commands talk to it over HTTP.
 */
class RunCommandTest {
    record Outcome(int exit, String out, String err) {}

    @TempDir static Path dir;
    private static Process server;
    private static String url;
    private static final List<String> startup = new ArrayList<>();

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.strata.node.cli.StrataMain"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @BeforeAll
    static void serve() throws Exception {
        server = new ProcessBuilder(java("serve", "--data-dir", dir.resolve("data").toString(), "--port", "0"))
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            startup.add(line);
            Matcher m = Pattern.compile("Strata listening on (http://\\S+)").matcher(line);
            if (m.find()) url = m.group(1);
            if (line.startsWith("Press Ctrl-C")) break;
        }
        assertThat(url).as(String.join("\n", startup)).isNotNull();
        Thread drain = new Thread(() -> { try { while (out.readLine() != null) { /* drain */ } } catch (Exception e) { } });
        drain.setDaemon(true);
        drain.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.destroy(); // SIGTERM: the shutdown hook closes the node
        assertThat(server.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    static Outcome run(String... args) throws Exception { return runIn(Path.of("").toAbsolutePath().toFile(), args); }

    private static Outcome runIn(java.io.File workingDirectory, String... args) throws Exception {
        Process p = new ProcessBuilder(java(args)).directory(workingDirectory).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return new Outcome(p.exitValue(), out, err);
    }

    @Test
    void queryShowsADefaultPageAndTheCursorForTheNext() throws Exception {
        Outcome first = run("query", "--url", url, "price > 0");
        assertThat(first.exit()).as(first.err()).isZero();
        List<String> page1 = first.out().lines().toList();
        assertThat(page1).as("the default page").hasSize(10);
        Matcher m = Pattern.compile("next page: --cursor (\\S+)").matcher(first.err());
        assertThat(m.find()).as(first.err()).isTrue();
        Outcome second = run("query", "--url", url, "--cursor", m.group(1));
        assertThat(second.exit()).as(second.err()).isZero();
        List<String> page2 = second.out().lines().toList();
        assertThat(page2).hasSize(10).doesNotContainAnyElementsOf(page1);
        assertThat(run("query", "--url", url).err()).contains("give the query text or --cursor");
        Outcome faceted = run("query", "--url", url, "--facets", "category", "price > 0 LIMIT 1");
        assertThat(faceted.out().lines().toList()).hasSize(1);
        assertThat(faceted.err()).contains("facets: {\"category\":{\"buckets\":[{\"value\":");
        Outcome grouped = run("query", "--url", url, "SELECT category, COUNT(*) AS n GROUP BY category ORDER BY n DESC LIMIT 3");
        assertThat(grouped.exit()).as(grouped.err()).isZero();
        assertThat(grouped.out().lines().toList()).as("one group per line on stdout").hasSize(3)
                .allMatch(l -> l.matches("\\{\"category\":\"[a-z]+\",\"n\":\\d+}"));
        assertThat(grouped.err()).containsPattern("\\d+ matched, \\d+ groups, 3 shown");
    }

    /** Every line of the README's {@code query} blocks runs on the demo collection as printed: no error, no warning. */
    @Test
    void theReadmeQueryExamplesRunAsPrinted() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```query\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> queries = new ArrayList<>();
        while (m.find()) m.group(1).lines().filter(l -> !l.isBlank()).forEach(queries::add);
        assertThat(queries).as("the README has query examples").hasSizeGreaterThanOrEqualTo(10);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String q : queries) {
            var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/collections/products/query"))
                    .header("Content-Type", "text/plain").POST(java.net.http.HttpRequest.BodyPublishers.ofString(q)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(q + "\n" + response.body()).isEqualTo(200);
            Value.ObjectValue r = (Value.ObjectValue) Json.parse(response.body());
            assertThat(r.get("warnings")).as(q + "\n" + response.body()).isNull();
        }
    }

    /**
     * Every line of the README's {@code operate} blocks, as printed, in bash: {@code ./strata} is a
     * shim running this build's CLI ({@code run} is {@code serve}), {@code localhost:7700} and
     * {@code $STRATA_URL} point at this test's node. Each must exit 0 and print something.
     */
    @Test
    void theOperatingCommandsRunAsPrinted() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```operate\n(.*?)```", Pattern.DOTALL).matcher(readme);
        List<String> commands = new ArrayList<>();
        while (m.find()) m.group(1).lines().filter(l -> !l.isBlank()).forEach(commands::add);
        assertThat(commands).as("the README's Operating section has commands").hasSizeGreaterThanOrEqualTo(10);
        Path work = Files.createDirectories(dir.resolve("operate"));
        Path shim = work.resolve("strata");
        Files.writeString(shim, "#!/usr/bin/env bash\n" + "cmd=$1; shift\n" + "case \"$cmd\" in run) set -- serve \"$@\" ;; cli) ;; *) exit 2 ;; esac\n"
                + "exec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '" + System.getProperty("java.class.path")
                + "' dev.strata.node.cli.StrataMain \"$@\"\n");
        shim.toFile().setExecutable(true);
        String hostPort = url.replace("http://", "");
        for (String command : commands) {
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", command.replace("localhost:7700", hostPort)) // as a shell runs it: a pipeline answers with its last command
                    .directory(work.toFile());
            pb.environment().put("STRATA_URL", url);
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(command + "\nstdout: " + out + "\nstderr: " + err).isZero();
            assertThat(out.isBlank() && err.isBlank() && !command.startsWith("printf")).as(command + " printed nothing").isFalse();
            if (command.contains("--print-config")) {
                assertThat(out).as("flag over file over default").contains("port = 7702").contains("slow-query-ms = 250")
                        .contains("\"wasm.memory.max-pages\" = 64");
            }
        }
    }

    @Test
    void aFreshStartPrintsTheTokenAndAQueryThatWorksWhenPasted() throws Exception {
        String all = String.join("\n", startup);
        assertThat(all).contains("Admin token (generated, saved in");
        String curl = startup.stream().filter(l -> l.trim().startsWith("curl ")).findFirst().orElseThrow();
        Matcher m = Pattern.compile("--data-binary \"([^\"]+)\"").matcher(curl);
        assertThat(m.find()).isTrue();
        Process p = new ProcessBuilder("curl", "-s", url + "/collections/products/query", "-H", "Content-Type: text/plain",
                "--data-binary", m.group(1)).start();
        String body = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Await.PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
        Value.ObjectValue r = (Value.ObjectValue) Json.parse(body);
        assertThat(((Value.ArrayValue) r.get("hits")).elements()).hasSize(3);
        for (Value h : ((Value.ArrayValue) r.get("hits")).elements()) {
            assertThat(((Value.ObjectValue) ((Value.ObjectValue) h).get("_source")).get("category")).isEqualTo(Value.of("phones"));
        }
    }

    @Test
    void queryPrintsHitsAsJsonLinesOnStdoutAndTheSummaryAndWarningsOnStderr() throws Exception {
        Outcome o = run("query", "--url", url, "category = 'phones' AND price > 1000 ORDER BY price DESC LIMIT 3");
        assertThat(o.exit()).as(o.err()).isZero();
        List<String> lines = o.out().lines().toList();
        assertThat(lines).as("stdout holds the hits only, one JSON object per line").hasSize(3);
        double previous = Double.MAX_VALUE;
        for (String l : lines.subList(0, 3)) {
            Value.ObjectValue hit = (Value.ObjectValue) Json.parse(l);
            double price = ((Value.FloatValue) ((Value.ObjectValue) hit.get("_source")).get("price")).value();
            assertThat(price).isGreaterThan(1000).isLessThanOrEqualTo(previous);
            previous = price;
        }
        assertThat(o.err().lines().findFirst().orElseThrow()).matches("\\d+ matched, 3 shown, in [0-9.]+ ms");

        Outcome typo = run("query", "--url", url, "catgory = 'phones' LIMIT 1");
        assertThat(typo.exit()).as(typo.err()).isZero();
        assertThat(typo.out()).isEmpty();
        assertThat(typo.err()).contains("warning: no document has the field 'catgory'; did you mean 'category'?");
        Outcome strict = run("query", "--url", url, "--strict", "catgory = 'phones'");
        assertThat(strict.exit()).isEqualTo(2);
        assertThat(strict.err()).contains("no document has the field 'catgory'; did you mean 'category'?");
    }

    @Test
    void aBadQueryExitsWithTwoAndAPositionedMessage() throws Exception {
        Outcome o = run("query", "--url", url, "price >");
        assertThat(o.exit()).isEqualTo(2);
        assertThat(o.out()).isEmpty();
        assertThat(o.err()).startsWith("strata: unexpected end of query; expected an expression at line 1, column 8");
        Outcome t = run("query", "--url", url, "category > 5");
        assertThat(t.exit()).isEqualTo(2);
        assertThat(t.err()).startsWith("strata: cannot compare field category (string) with 5 (int) at line 1, column 1");
    }

    @Test
    void explainShowsTheIndexAndTheTierOfEachClause() throws Exception {
        Outcome o = run("explain", "--url", url, "category = 'phones' AND price * qty > 500");
        assertThat(o.exit()).as(o.err()).isZero();
        assertThat(o.out()).contains("index").contains("keyword(category = \"phones\")").contains("expression");
        assertThat(o.out()).as("a stage shows its position, cost and selectivity").containsPattern("\\(#1; (null|[0-9.]+) ns/row measured, [0-9.]+ static; keeps [0-9.]+\\)");
    }

    @Test
    void loadSendsAFileInBulksAndReportsDocsPerSecond() throws Exception {
        Path file = dir.resolve("items.ndjson");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 2500; i++) b.append("{\"_id\":\"i").append(i).append("\",\"n\":").append(i).append("}\n");
        b.append("{not json}\n");
        Files.writeString(file, b);
        Outcome o = run("load", file.toString(), "--collection", "items", "--url", url, "--data-dir", dir.resolve("data").toString(),
                "--batch", "1000");
        assertThat(o.exit()).as("one bad line: exit 2").isEqualTo(2);
        assertThat(o.out()).containsPattern("loaded 2500 documents into items \\(1 failed\\) in [0-9.]+ s: [0-9,]+ docs/s");
        assertThat(o.err()).contains("100%").contains("document 2501:");
        Outcome q = run("query", "--url", url, "-c", "items", "n >= 2490");
        assertThat(q.err()).contains("10 matched");
    }

    @Test
    void collectionAndDocCommandsManageDataAtAHostAndPort() throws Exception {
        String hostPort = url.replace("http://", "");
        String data = dir.resolve("data").toString();
        Outcome created = run("collection", "create", "notes", "--map", "at=date", "--url", hostPort, "--data-dir", data);
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("created collection notes");
        Outcome put = run("doc", "put", "notes", "n1", "{\"title\":\"hello\",\"at\":\"2024-05-01\",\"score\":-3}", "--refresh", "--url", hostPort);
        assertThat(put.exit()).as(put.err()).isZero();
        Outcome got = run("doc", "get", "notes", "n1", "--url", hostPort);
        assertThat(got.out().strip()).isEqualTo("{\"_id\":\"n1\",\"_source\":{\"title\":\"hello\",\"at\":\"2024-05-01\",\"score\":-3}}");
        Outcome listed = run("collection", "list", "--url", hostPort);
        assertThat(listed.out()).containsPattern("(?m)^notes\t1 documents\t1 segments\tat,score,title$").contains("products\t");
        Outcome negative = run("query", "--url", hostPort, "-c", "notes", "-3 = score");
        assertThat(negative.exit()).as("a query may start with '-': " + negative.err()).isZero();
        assertThat(negative.err()).contains("1 matched");
        Outcome deleted = run("doc", "delete", "notes", "n1", "--refresh", "--url", hostPort);
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        Outcome gone = run("doc", "get", "notes", "n1", "--url", hostPort);
        assertThat(gone.exit()).isEqualTo(2);
        assertThat(gone.err()).contains("no document 'n1' in collection 'notes'");
        Outcome unconfirmed = run("collection", "drop", "notes", "--url", hostPort, "--data-dir", data);
        assertThat(unconfirmed.exit()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("add --yes to confirm");
        Outcome dropped = run("collection", "drop", "notes", "--yes", "--url", hostPort, "--data-dir", data);
        assertThat(dropped.exit()).as(dropped.err()).isZero();
        assertThat(run("collection", "list", "--url", hostPort).out()).doesNotContain("notes");
        Outcome noToken = run("collection", "create", "other", "--url", hostPort, "--data-dir", dir.resolve("elsewhere").toString());
        assertThat(noToken.exit()).isEqualTo(2);
        assertThat(noToken.err()).contains("no admin token: pass --token, set STRATA_TOKEN");
    }

    /** The README's WebAssembly example, taken from the README itself, through the CLI as real processes. */
    @Test
    void theReadmeUdfExampleRegistersListsQueriesAndUnloads() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("cat > /tmp/pricey.wat <<'WAT'\n(.*?)\nWAT\n", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README has the example").isTrue();
        Path wat = dir.resolve("pricey.wat");
        Files.writeString(wat, m.group(1));
        String data = dir.resolve("data").toString();
        Outcome reg = run("udf", "register", "shop", wat.toString(), "--signature", "pricey=(f64) -> bool", "--url", url, "--data-dir", data);
        assertThat(reg.exit()).as(reg.err()).isZero();
        assertThat(reg.out()).startsWith("registered shop (wasm_udf)").contains("pricey (f64) -> bool");
        assertThat(run("udf", "register", "shop", wat.toString(), "--signature", "pricey=(f64) -> bool", "--url", url, "--data-dir", data).out())
                .startsWith("replaced shop");
        assertThat(run("udf", "list", "--url", url).out()).contains("shop (wasm_udf)");
        assertThat(run("udf", "describe", "shop", "--url", url).out()).contains("\"fieldHandles\"");

        Outcome q = run("query", "--url", url, "category = 'phones' AND wasm_udf('shop.pricey', 500.0) LIMIT 100");
        assertThat(q.exit()).as(q.err()).isZero();
        Outcome plain = run("query", "--url", url, "category = 'phones' AND price > 500.0 LIMIT 100");
        assertThat(q.out().lines().filter(l -> l.startsWith("{")).toList())
                .isNotEmpty().isEqualTo(plain.out().lines().filter(l -> l.startsWith("{")).toList());

        assertThat(run("explain", "--url", url, "category = 'phones' AND wasm_udf('shop.pricey', 500.0)").out())
                .containsPattern("udf +wasm_udf\\('shop.pricey'\\): \\d+ call\\(s\\), \\d+ document\\(s\\), [0-9.]+ ms, 0 trap\\(s\\)");

        Outcome bad = run("udf", "register", "shop2", wat.toString(), "--signature", "pricey=(string) -> bool", "--url", url, "--data-dir", data);
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("'pricey' is declared (string) -> bool");
        assertThat(run("udf", "unload", "shop", "--url", url, "--data-dir", data).exit()).isZero();
        assertThat(run("query", "--url", url, "wasm_udf('shop.pricey', 1.0)").err()).contains("there is no wasm_udf module 'shop'");
    }

    /** The README's Python example, taken from the README, through the CLI against a real node with a real worker. */
    @Test
    void theReadmePythonExampleRegistersAndQueries() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("cat > /tmp/shop.py <<'PY'\\n(.*?)\\nPY\\n", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README has the example").isTrue();
        Path py = dir.resolve("shop.py");
        Files.writeString(py, m.group(1));
        Outcome reg = run("udf", "register", "pyshop", py.toString(), "--tier", "python_udf", "--signature", "pricey=(float, int) -> bool",
                "--url", url, "--data-dir", dir.resolve("data").toString());
        assertThat(reg.exit()).as(reg.err()).isZero();
        assertThat(reg.out()).startsWith("registered pyshop (python_udf)").contains("pricey (float, int) -> bool");
        Outcome q = run("query", "--url", url, "category = 'phones' AND python_udf('pyshop.pricey', price, qty) LIMIT 100");
        assertThat(q.exit()).as(q.err()).isZero();
        Outcome plain = run("query", "--url", url, "category = 'phones' AND price * qty > 500 LIMIT 100");
        assertThat(q.out().lines().filter(l -> l.startsWith("{")).toList())
                .isNotEmpty().isEqualTo(plain.out().lines().filter(l -> l.startsWith("{")).toList());
    }

    private static double number(Value v) {
        return v instanceof Value.FloatValue f ? f.value() : ((Value.IntValue) v).value();
    }

    /** Splits a command line as a POSIX shell does for plain words, 'single' and "double" quotes. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                w.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (inWord) out.add(w.toString());
        return out;
    }

    /**
     * The README's example-UDF commands, taken from the README and run as printed from the
     * repository root (the committed C module, its signature file), checked against the same
     * functions in Java on the demo documents.
     */
    @Test
    void theReadmeExampleUdfCommandsWorkAsPrinted() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher m = Pattern.compile("```sh\n(\\./strata cli udf register shop_c examples/.*?)```", Pattern.DOTALL).matcher(readme);
        assertThat(m.find()).as("the README has the example").isTrue();
        java.io.File root = Path.of("..").toAbsolutePath().normalize().toFile();
        List<Value.ObjectValue> demo = new ArrayList<>();
        for (String l : run("query", "--url", url, "LIMIT 1000").out().lines().filter(l -> l.startsWith("{")).toList()) {
            demo.add((Value.ObjectValue) ((Value.ObjectValue) Json.parse(l)).get("_source"));
        }
        assertThat(demo).hasSize(50);
        List<String> commands = m.group(1).lines().filter(l -> l.startsWith("./strata cli ")).toList();
        assertThat(commands).hasSize(4);
        List<Outcome> outcomes = new ArrayList<>();
        for (String command : commands) {
            List<String> args = new ArrayList<>(words(command).subList(2, words(command).size()));
            args.addAll(List.of("--url", url));
            if (args.get(0).equals("udf")) args.addAll(List.of("--data-dir", dir.resolve("data").toString()));
            Outcome o = runIn(root, args.toArray(String[]::new));
            assertThat(o.exit()).as(command + "\n" + o.err()).isZero();
            outcomes.add(o);
        }
        assertThat(outcomes.get(0).out()).startsWith("registered shop_c (wasm_udf)").contains("string_distance (string, string) -> i32");

        long near = demo.stream().filter(d -> dev.strata.examples.ShopFunctions.stringDistance(
                ((Value.StringValue) d.get("name")).value(), "iPhone Air 4") <= 4).count();
        assertThat(near).isPositive();
        assertThat(outcomes.get(1).err()).contains(near + " matched");

        List<String> top3 = new ArrayList<>();
        demo.stream().sorted(java.util.Comparator.comparingDouble((Value.ObjectValue d) -> -dev.strata.examples.ShopFunctions.tieredTotal(
                number(d.get("price")), (long) number(d.get("qty")))))
                .limit(3).forEach(d -> top3.add(((Value.StringValue) d.get("name")).value()));
        List<String> names = outcomes.get(2).out().lines().filter(l -> l.startsWith("{"))
                .map(l -> ((Value.StringValue) ((Value.ObjectValue) ((Value.ObjectValue) Json.parse(l)).get("_source")).get("name")).value()).toList();
        assertThat(names).isEqualTo(top3);

        assertThat(outcomes.get(3).out()).contains("wasm_udf('shop_c.slug')");
    }

    @Test
    void noSubcommandPrintsUsage() throws Exception {
        Outcome o = run();
        assertThat(o.out()).contains("serve").contains("load").contains("query").contains("explain");
    }
}
