package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile queries and inputs against a real node in its own JVM (512 MB heap, a 2 s query
 * deadline). Each case gets the right answer or its documented 4xx/503/504 within the deadline
 * (plus a generous margin for the node's own overhead), and the node stays healthy and answers a
 * control query right afterwards.
 */
class HostileQueryTest {
    private static final long DEADLINE_MS = 2_000;
    /** What a loaded machine may add to a deadline before an answer counts as late. */
    private static final long MARGIN_MS = 20_000;

    @TempDir static Path dir;
    static ChildNode node;

    @BeforeAll
    static void start() {
        node = ChildNode.start(dir.resolve("node"), List.of("-Xmx512m"), "--refresh-interval-ms", "200",
                "--query-timeout-ms", Long.toString(DEADLINE_MS));
        node.createCollection("control", null);
        bulk("control", "{\"_id\":\"c1\",\"n\":1}\n{\"_id\":\"c2\",\"n\":2}\n");
    }

    @AfterAll
    static void stop() { node.close(); }

    static TestNode.Response bulk(String collection, String ndjson) {
        TestNode.Response r = node.send("POST", "/collections/" + collection + "/bulk?refresh=true", "application/x-ndjson", ndjson, false);
        assertThat(r.status()).as(r.raw()).isEqualTo(200);
        return r;
    }

    /** After each case: healthy, and a control query answers right. */
    static void assertWell() {
        assertThat(node.awaitHealthy().get("status")).isEqualTo(Value.of("ok"));
        assertThat(node.query("control", "n >= 1 ORDER BY n").ids()).containsExactly("c1", "c2");
    }

    /** A query with its elapsed time; fails if the answer came later than the deadline plus the margin. */
    static TestNode.Response timed(String collection, String query) {
        long t0 = System.nanoTime();
        TestNode.Response r = node.query(collection, query);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("answered within the deadline and the node's overhead: " + r.raw()).isLessThan(DEADLINE_MS + MARGIN_MS);
        return r;
    }

    static String range(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    @Test
    void anyMatchIsExactOrRefusedNeverWrong() {
        node.createCollection("arrays", null);
        node.createCollection("huge", null);
        bulk("huge", "{\"_id\":\"huge\",\"a\":" + range(65_536) + ",\"b\":" + range(65_536) + "}\n");
        bulk("arrays", "{\"_id\":\"three\",\"a\":" + range(300) + ",\"b\":" + range(300) + ",\"c\":" + range(300) + "}\n");
        for (String q : List.of("a = b", "NOT (a = b)")) {
            TestNode.Response r = timed("huge", q);
            assertThat(r.status()).as(r.raw()).isEqualTo(400);
            assertThat(r.error()).isEqualTo("TOO_MANY_COMBINATIONS");
            assertThat(r.message()).contains("for document 'huge', more than 100000000");
        }
        assertThat(timed("arrays", "_id = 'three' AND a + b + c = 3").ids()).containsExactly("three");
        assertThat(timed("arrays", "_id = 'three' AND NOT (a + b + c = 3)").ids()).isEmpty();
        TestNode.Response none = timed("arrays", "_id = 'three' AND a + b + c = -1");
        assertThat(none.status()).as(none.raw()).isIn(200, 504);
        if (none.status() == 200) assertThat(none.ids()).isEmpty();
        assertWell();
    }

    @Test
    void theCrossProductOfLargeArraysStopsAtTheDeadline() {
        node.createCollection("pairs", null);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 40; i++) b.append("{\"_id\":\"p").append(i).append("\",\"a\":").append(range(1000)).append(",\"b\":").append(range(1000)).append("}\n");
        bulk("pairs", b.toString());
        TestNode.Response r = timed("pairs", "a = b + 5000");
        assertThat(r.status()).as(r.raw()).isIn(200, 504);
        if (r.status() == 504) assertThat(r.message()).contains("ran past its deadline of 2000 ms");
        else assertThat(r.ids()).isEmpty();
        assertWell();
    }

    @Test
    void textThatCannotBeStoredFaithfullyIsRefusedAndPairsSurviveARestart() throws Exception {
        node.createCollection("text", null);
        for (String body : List.of("{\"_id\":\"\\ud800\"}", "{\"a\":\"x\\udc00\"}", "{\"a\":\"\\ud800\\u0041\"}")) {
            TestNode.Response r = node.send("POST", "/collections/text/docs", "application/json", body, false);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.error()).isEqualTo("INVALID_JSON");
            assertThat(r.message()).contains("a lone surrogate").contains("a string must be valid Unicode");
        }
        HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(node.url + "/collections/text/docs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xff, '"', '}'})).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("the body is not valid UTF-8 at byte 6");
        TestNode.Response q = node.send("GET", "/collections/text/query?q=a%20%3D%20%27%ED%A0%80%27", null, null, false);
        assertThat(q.status()).isEqualTo(400);
        assertThat(q.message()).contains("parameter 'q' is not valid UTF-8");
        TestNode.Response literal = node.query("text", "a = '\\ud800'");
        assertThat(literal.error()).isEqualTo("INVALID_LITERAL");
        // valid pairs, escaped or not, are kept exactly
        bulk("text", "{\"_id\":\"\\ud83d\\ude00\",\"a\":\"\\ud834\\udd1e\"}\n{\"_id\":\"plain\",\"a\":\"\uD834\uDD1E\"}\n");
        assertThat(node.query("text", "a = '\uD834\uDD1E' ORDER BY _id").ids()).containsExactly("plain", "\uD83D\uDE00");
        assertWell();
    }

    @Test
    void aKeyHoldingTheSeparatorOrADotIsItsOwnField() {
        node.createCollection("keys", null);
        bulk("keys", "{\"_id\":\"sep\",\"k\\u001fz\":1}\n{\"_id\":\"nested\",\"k\":{\"z\":1}}\n{\"_id\":\"dot\",\"k.z\":1}\n"
                + "{\"_id\":\"esc\",\"k\\u001e\\u001fz\":1}\n");
        assertThat(node.query("keys", "k.z = 1").ids()).containsExactly("nested");
        assertThat(node.query("keys", "`k.z` = 1").ids()).containsExactly("dot");
        assertThat(node.query("keys", "`k\u001fz` = 1").ids()).containsExactly("sep");
        assertThat(node.query("keys", "`k\u001e\u001fz` = 1").ids()).containsExactly("esc");
        assertWell();
    }

    @Test
    void aNaNOrInfiniteScoreIsNullAndSortsLast() {
        node.createCollection("nan", null);
        bulk("nan", "{\"_id\":\"zero\",\"x\":0}\n{\"_id\":\"one\",\"x\":1}\n{\"_id\":\"neg\",\"x\":-1}\n{\"_id\":\"half\",\"x\":0.5}\n");
        TestNode.Response r = node.query("nan", "SET _score = (x*1e308*10) - (x*1e308*10) ORDER BY _score DESC");
        assertThat(r.ids()).startsWith("zero");
        Value.ArrayValue hits = (Value.ArrayValue) r.get("hits");
        assertThat(((Value.ObjectValue) hits.elements().get(0)).get("_score")).isEqualTo(Value.of(0.0));
        for (Value h : hits.elements().subList(1, 4)) assertThat(((Value.ObjectValue) h).get("_score")).isEqualTo(Value.NULL);
        // the three without a score tie, and ties go by _id
        assertThat(node.query("nan", "SET _score = x * 1e308 * 10 ORDER BY _score ASC").ids()).containsExactly("zero", "half", "neg", "one");
        assertThat(node.query("nan", "x * 1e308 * 10 IS NULL ORDER BY _id").ids()).containsExactly("half", "neg", "one");
        assertWell();
    }

    @Test
    void pagingAtTheEdgesAnswersOrSaysWhyInsteadOfFailing() {
        for (String q : List.of("n >= 0 ORDER BY n LIMIT 0", "SET _score = n LIMIT 0", "n >= 0 LIMIT 0")) {
            TestNode.Response r = node.query("control", q);
            assertThat(r.status()).as(q + " " + r.raw()).isEqualTo(200);
            assertThat(r.get("total")).isEqualTo(Value.of(2L));
            assertThat(r.ids()).isEmpty();
        }
        // a page deeper than the largest page is a clear 400 pointing at the cursor, never an overflow
        TestNode.Response far = node.query("control", "n >= 0 ORDER BY n LIMIT 9223372036854775807 OFFSET 9223372036854775807");
        assertThat(far.status()).as(far.raw()).isEqualTo(400);
        assertThat(far.error()).isEqualTo("INVALID_REQUEST");
        assertThat(far.raw()).contains("cursor");
        assertThat(node.query("control", "n >= 0 ORDER BY n LIMIT 9999 OFFSET 1").ids()).containsExactly("c2");
        assertThat(node.query("control", "n >= 0 ORDER BY n LIMIT 2 OFFSET 9998").ids()).isEmpty();
        assertWell();
    }

    @Test
    void longChainsAreRefusedOrGroupedQuickly() {
        TestNode.Response plus = timed("control", "n = " + String.join("+", Collections.nCopies(2000, "1")));
        assertThat(plus.status()).isEqualTo(400);
        assertThat(plus.error()).isEqualTo("QUERY_TOO_DEEP");
        TestNode.Response longest = timed("control", "n = " + String.join("+", Collections.nCopies(32_000, "1")));
        assertThat(longest.error()).isEqualTo("QUERY_TOO_DEEP");
        TestNode.Response and = timed("control", String.join(" AND ", Collections.nCopies(4000, "n >= 1")));
        assertThat(and.ids()).containsExactlyInAnyOrder("c1", "c2");
        TestNode.Response concat = timed("control", "concat(" + String.join(",", Collections.nCopies(12_000, "'a'")) + ") = 'x'");
        assertThat(concat.status()).isEqualTo(400);
        assertThat(concat.error()).isEqualTo("LIST_TOO_LONG");
        assertWell();
    }

    @Test
    void likeOverHugeStringsDoesNotBacktrack() {
        node.createCollection("likes", null);
        StringBuilder b = new StringBuilder();
        String mb = "a".repeat(1 << 20);
        for (int i = 0; i < 20; i++) b.append("{\"_id\":\"l").append(i).append("\",\"t\":\"").append(mb).append(i).append("\"}\n");
        bulk("likes", b.toString());
        for (String pattern : List.of("%" + "a".repeat(5000) + "b", "%" + "a".repeat(5000) + "b%", "%" + "a".repeat(2000) + "_b%")) {
            TestNode.Response r = timed("likes", "t LIKE '" + pattern + "'");
            assertThat(r.status()).as(r.raw()).isIn(200, 504);
            if (r.status() == 200) assertThat(r.get("total")).isEqualTo(Value.of(0L));
        }
        assertThat(node.send("DELETE", "/collections/likes", null, null, true).status()).isEqualTo(200);
        assertWell();
    }

    static TestNode.Response registerWat(String name, String wat) {
        return node.send("PUT", "/udfs/wasm_udf/" + name, "application/json", "{\"format\":\"wat\",\"content\":" + Json.write(Value.of(wat)) + "}", true);
    }

    @Test
    void modulesWhoseCompileOrAssemblyHasNoBoundAreRefusedAndDoNotHoldUpOthers() {
        String deep = "(module (func (export \"f\") (result i32) " + "(block ".repeat(10_000) + ")".repeat(10_000) + " (i32.const 1)))";
        TestNode.Response nested = registerWat("nested", deep);
        assertThat(nested.status()).as(nested.raw()).isEqualTo(400);
        assertThat(nested.message()).contains("does not assemble");
        StringBuilder table = new StringBuilder("(module (func (export \"f\") (param i32) (result i32) (block (br_table");
        for (int i = 0; i < 1_000_000; i++) table.append(" 0");
        TestNode.Response jump = registerWat("jump", table.append(" (local.get 0))) (i32.const 1)))").toString());
        assertThat(jump.status()).as(jump.raw().substring(0, Math.min(300, jump.raw().length()))).isEqualTo(400);
        assertThat(jump.message()).contains("has a br_table with 999999 targets; at most 65520");
        assertThat(registerWat("tiny", "(module (func (export \"f\") (param i32) (result i32) (local.get 0)))").status()).isEqualTo(201);
        assertThat(node.query("control", "wasm_udf('tiny.f', n) = 2").ids()).containsExactly("c2");
        assertWell();
    }

    @Test
    void aStartFunctionThatLoopsLaterIsStoppedAtTheQueryDeadline() throws Exception {
        // the moment after which the start function loops moves later until a registration makes it in time (a loaded machine)
        long soon = 0;
        TestNode.Response r = null;
        for (long window : new long[] {3_000, 20_000, 120_000}) {
            soon = (System.currentTimeMillis() + window) * 1_000_000L; // the WASI realtime clock, in nanoseconds
            r = node.send("PUT", "/udfs/wasm_udf/late", "application/json", "{\"format\":\"wat\",\"content\":"
                    + Json.write(Value.of(dev.strata.wasm.WatFixtures.startLoopsAfter(soon))) + ",\"options\":{\"wasi\":true}}", true);
            if (r.status() != 400 || !r.message().contains("its start function did not finish")) break;
        }
        assertThat(r.status()).as(r.raw()).isEqualTo(201);
        assertThat(node.query("control", "wasm_udf('late.ok', n) = 1").ids()).containsExactly("c1");
        while (System.currentTimeMillis() * 1_000_000L <= soon) Thread.sleep(50);
        // a trap discards the warm instance; every instance made from now on runs the looping start function
        assertThat(node.query("control", "wasm_udf('late.boom', n) = 1").error()).isEqualTo("UDF_FAILED");
        TestNode.Response stuck = timed("control", "wasm_udf('late.ok', n) = 1");
        assertThat(stuck.status()).as(stuck.raw()).isEqualTo(504);
        assertThat(stuck.message()).contains("could not make an instance of its module: its start function was still running at the query deadline");
        assertThat(node.send("DELETE", "/udfs/wasm_udf/late", null, null, true).status()).isEqualTo(200);
        assertWell();
    }

    @Test
    void aDataDirectoryThatCannotBeWrittenGetsItsReasonNotA500() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(chattr("+i", dir.resolve("probe")), "chattr +i works on this file system (ext4, as root)");
        chattr("-i", dir.resolve("probe"));
        Path data = dir.resolve("readonly");
        try (ChildNode n = ChildNode.start(data, List.of("-Xmx256m"))) {
            assertThat(chattr("+i", data.resolve("collections"))).isTrue();
            try {
                TestNode.Response r = n.send("PUT", "/collections/blocked", null, null, true);
                assertThat(r.status()).as(r.raw()).isEqualTo(503);
                assertThat(r.error()).isEqualTo("UNAVAILABLE");
                assertThat(r.message()).contains("the node could not do this on its disk").contains("Operation not permitted")
                        .doesNotContain(data.toString());
            } finally {
                chattr("-i", data.resolve("collections"));
            }
            assertThat(n.send("PUT", "/collections/fine", null, null, true).status()).isEqualTo(201);
        }
        Path locked = dir.resolve("locked");
        java.nio.file.Files.createDirectories(locked);
        assertThat(chattr("+i", locked)).isTrue();
        try {
            List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                    System.getProperty("java.class.path"), "dev.strata.node.cli.StrataMain", "serve", "--data-dir", locked.toString(),
                    "--port", "0", "--no-demo");
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(Await.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isNotZero();
            assertThat(out).contains("cannot open the data directory").contains("Operation not permitted");
        } finally {
            chattr("-i", locked);
        }
    }

    /** Sets or clears the immutable attribute (which even root cannot write through); false when the file system has none. */
    static boolean chattr(String flag, Path path) throws Exception {
        java.nio.file.Files.createDirectories(path);
        Process p = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(Await.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return p.exitValue() == 0;
    }

    @Test
    void authenticationEdges() {
        TestNode.Response empty = node.send("PUT", "/collections/sneaky", null, null, false);
        assertThat(empty.status()).isEqualTo(401);
        assertThat(empty.message()).as("names the scope, never a server path or file").doesNotContain(dir.toString())
                .doesNotContain("admin.token").contains("needs the admin scope");
        HttpClient http = HttpClient.newHttpClient();
        Map<String, Integer> cases = Map.of("X-Strata-Token", 401, "Authorization", 401);
        for (var c : cases.entrySet()) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(node.url + "/collections/sneaky")).header(c.getKey(), "")
                        .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("an empty " + c.getKey()).isEqualTo(c.getValue());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        try {
            HttpResponse<String> both = http.send(HttpRequest.newBuilder(URI.create(node.url + "/collections/both"))
                    .header("X-Strata-Token", "").header("Authorization", "Bearer " + ChildNode.TOKEN)
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(both.statusCode()).as("the Authorization header decides").isEqualTo(201);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertWell();
    }

    @Test
    void listeningOffLoopbackWithoutReadAndWriteTokensRefusesToStart() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.strata.node.cli.StrataMain", "serve", "--data-dir", dir.resolve("open").toString(),
                "--port", "0", "--no-demo", "--host", "0.0.0.0", "--write-token", "w"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Await.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("refusing to listen on 0.0.0.0 without a read and a write token");
        assertThat(Files.exists(dir.resolve("open"))).as("nothing was opened").isFalse();
    }

    @Test
    void anEmptyAdminTokenRefusesToStart() throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.strata.node.cli.StrataMain", "serve", "--data-dir", dir.resolve("empty").toString(),
                "--port", "0", "--no-demo", "--admin-token", ""));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(Await.PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isNotZero();
        assertThat(out).contains("the admin token must not be empty");
    }
}
