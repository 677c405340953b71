package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a query reply tells a user besides its hits: warnings for fields no document has (a 400
 * when strict), a 400 for options the server does not have, a type error for a score that cannot
 * be a number, scores and sort keys that follow the README's rules, and timing that covers the
 * writing of the hits.
 */
class QueryReplyTest {
    @TempDir Path dir;

    private static void load(TestNode n) {
        n.createCollection("c", null);
        String bulk = """
                {"_id":"z","t":"Zed","category":"phones","price":10,"rating":4.5}
                {"_id":"a","t":"Apple","category":"phones","price":20,"rating":-1.0}
                {"_id":"i","t":5,"category":"books","price":30}
                {"_id":"n","category":"books","price":40,"rating":null}
                """;
        assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk, false).status()).isEqualTo(200);
    }

    private static TestNode.Response query(TestNode n, String text) {
        return n.send("POST", "/collections/c/query", "text/plain", text, false);
    }

    @Test
    void aFieldNoDocumentHasGetsAWarningWithTheNearestNameAndStrictRefusesIt() {
        try (TestNode n = new TestNode(dir)) {
            load(n);
            TestNode.Response r = query(n, "catgory = 'phones' ORDER BY prcie");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.get("total")).isEqualTo(Value.of(0L));
            assertThat(((Value.ArrayValue) r.get("warnings")).elements()).containsExactly(
                    Value.of("no document has the field 'catgory'; did you mean 'category'?"),
                    Value.of("no document has the field 'prcie'; did you mean 'price'?"));
            TestNode.Response far = query(n, "zzzzzz = 1");
            assertThat(((Value.ArrayValue) far.get("warnings")).elements()).containsExactly(Value.of("no document has the field 'zzzzzz'"));
            TestNode.Response clean = query(n, "category = 'phones'");
            assertThat(clean.get("warnings")).as("no warnings member when there is nothing to say").isNull();

            TestNode.Response strict = n.send("POST", "/collections/c/query?strict=true", "text/plain", "catgory = 'phones'", false);
            assertThat(strict.status()).isEqualTo(400);
            assertThat(strict.get("error", "code")).isEqualTo(Value.of("UNKNOWN_FIELD"));
            assertThat(strict.raw()).contains("did you mean 'category'?");
        }
    }

    @Test
    void optionsTheServerDoesNotHaveAreRefusedByName() {
        try (TestNode n = new TestNode(dir)) {
            load(n);
            TestNode.Response params = n.send("POST", "/collections/c/query?limit=1&size=1", "text/plain", "price > 0", false);
            assertThat(params.status()).isEqualTo(400);
            assertThat(params.get("error", "code")).isEqualTo(Value.of("INVALID_REQUEST"));
            assertThat(params.raw()).contains("unknown query parameters 'limit', 'size'").contains("'timeout_ms'");
            TestNode.Response member = n.send("POST", "/collections/c/query", "application/json",
                    "{\"query\": \"price > 0\", \"limit\": 5}", false);
            assertThat(member.status()).isEqualTo(400);
            assertThat(member.raw()).contains("unknown member 'limit' in the query request").contains("LIMIT");
        }
    }

    @Test
    void aScoreMustBeANumberAndNoScoreSortsLastInBothDirections() {
        try (TestNode n = new TestNode(dir)) {
            load(n);
            for (String bad : List.of("SET _score = 'abc'", "SET _score = category", "SET _score = price > 10")) {
                TestNode.Response r = query(n, "price > 0 " + bad);
                assertThat(r.status()).as(bad).isEqualTo(400);
                assertThat(r.get("error", "code")).isEqualTo(Value.of("TYPE_MISMATCH"));
                assertThat(r.raw()).contains("SET _score needs a number").contains("column 24");
            }
            // i and n have no rating: no score, last whichever way the scores are ordered
            assertThat(query(n, "price > 0 SET _score = rating * -1 ORDER BY _score DESC").ids()).containsExactly("a", "z", "i", "n");
            assertThat(query(n, "price > 0 SET _score = rating * -1 ORDER BY _score ASC").ids()).containsExactly("z", "a", "i", "n");
            assertThat(query(n, "price > 0 SET _score = rating * -1").ids()).as("best first without ORDER BY").containsExactly("a", "z", "i", "n");
            TestNode.Response unscored = query(n, "_id = 'i' SET _score = rating");
            assertThat(((Value.ObjectValue) ((Value.ArrayValue) unscored.get("hits")).elements().get(0)).get("_score")).isEqualTo(Value.NULL);
        }
    }

    @Test
    void aFieldOfSeveralKindsSortsByKindThenByValue() {
        try (TestNode n = new TestNode(dir)) {
            load(n);
            assertThat(query(n, "t >= 'A' ORDER BY t ASC").ids()).containsExactly("a", "z");
            assertThat(query(n, "t >= 'A' ORDER BY t DESC").ids()).containsExactly("z", "a");
            assertThat(query(n, "price > 0 ORDER BY t").ids()).as("numbers before strings; no t last").containsExactly("i", "a", "z", "n");
            assertThat(query(n, "price > 0 ORDER BY t DESC").ids()).containsExactly("z", "a", "i", "n");
        }
    }

    @Test
    void selectReturnsTheItemsUnderTheirNamesAndTheSourceOnlyWithAStar() {
        try (TestNode n = new TestNode(dir)) {
            load(n);
            assertThat(n.json("PUT", "/collections/c/docs/b?refresh=true",
                    "{\"price\":50,\"brand\":{\"name\":\"Acme\"},\"tags\":[\"x\",\"y\"]}").status()).isEqualTo(201);
            TestNode.Response r = query(n, "SELECT t, price * 2 AS double_price, _id WHERE price > 15 ORDER BY price LIMIT 2");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            List<Value> hits = ((Value.ArrayValue) r.get("hits")).elements();
            Value.ObjectValue first = (Value.ObjectValue) hits.get(0);
            assertThat(first.get("_source")).as("no * : no source").isNull();
            assertThat(first.get("fields")).isEqualTo(new Value.ObjectValue(java.util.Map.of(
                    "t", Value.of("Apple"), "double_price", Value.of(40L), "_id", Value.of("a"))));
            assertThat(((Value.ObjectValue) hits.get(1)).get("fields")).isEqualTo(new Value.ObjectValue(java.util.Map.of(
                    "t", Value.of(5L), "double_price", Value.of(60L), "_id", Value.of("i"))));

            TestNode.Response nested = query(n, "SELECT *, brand, tags, brand.name, t WHERE _id = 'b'");
            Value.ObjectValue hit = (Value.ObjectValue) ((Value.ArrayValue) nested.get("hits")).elements().get(0);
            assertThat(hit.get("_source")).as("* keeps the source").isNotNull();
            Value.ObjectValue fields = (Value.ObjectValue) hit.get("fields");
            assertThat(fields.get("brand")).isEqualTo(new Value.ObjectValue(java.util.Map.of("name", Value.of("Acme"))));
            assertThat(fields.get("tags")).isEqualTo(new Value.ArrayValue(List.of(Value.of("x"), Value.of("y"))));
            assertThat(fields.get("brand.name")).isEqualTo(Value.of("Acme"));
            assertThat(fields.get("t")).as("a field the document lacks is null").isEqualTo(Value.NULL);

            TestNode.Response twice = query(n, "SELECT price, price");
            assertThat(twice.status()).isEqualTo(400);
            assertThat(twice.raw()).contains("the name 'price' is in the SELECT list twice");
            TestNode.Response unknown = query(n, "SELECT prise WHERE price > 0");
            assertThat(unknown.raw()).contains("did you mean 'price'?");
        }
    }

    @Test
    void tookMsCoversPlanningRunningAndWritingTheHits() {
        try (TestNode n = new TestNode(dir)) {
            load(n);
            TestNode.Response r = query(n, "price > 0");
            double took = ((Value.FloatValue) r.get("took_ms")).value();
            double plan = ((Value.FloatValue) r.get("timing", "parse_and_plan_ms")).value();
            double run = ((Value.FloatValue) r.get("timing", "execute_ms")).value();
            double write = ((Value.FloatValue) r.get("timing", "write_ms")).value();
            assertThat(write).isGreaterThanOrEqualTo(0);
            assertThat(took).isCloseTo(plan + run + write, org.assertj.core.data.Offset.offset(0.01));
        }
    }
}
