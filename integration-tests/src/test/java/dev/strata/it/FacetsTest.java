package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facets: value counts per field over every match, beside the page of hits, in one round trip. */
class FacetsTest {
    @TempDir Path dir;

    private static final String[] CATEGORIES = {"phones", "laptops", "audio"};

    @Test
    void facetsCountEveryMatchOncePerValueBesideThePage() {
        try (TestNode n = new TestNode(dir)) {
            n.createCollection("c", null);
            StringBuilder bulk = new StringBuilder();
            Map<String, Long> category = new TreeMap<>();
            Map<String, Long> tags = new TreeMap<>();
            long tagsMissing = 0;
            long categoryMissing = 0;
            for (int i = 0; i < 60; i++) {
                String cat = CATEGORIES[i % 3];
                boolean match = i % 4 != 0; // the query keeps these
                boolean hasCategory = i % 7 != 0;
                bulk.append("{\"_id\":\"d").append(i).append("\",\"n\":").append(i);
                if (hasCategory) bulk.append(",\"category\":\"").append(cat).append('"');
                List<String> t = new ArrayList<>();
                if (i % 5 != 0) {
                    t.add("t" + (i % 3));
                    t.add("t" + (i % 3)); // a repeated value counts once per document
                    if (i % 2 == 0) t.add("even");
                    bulk.append(",\"tags\":[").append(String.join(",", t.stream().map(x -> "\"" + x + "\"").toList())).append(']');
                }
                bulk.append("}\n");
                if (i == 30) { // a segment boundary in the middle
                    assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);
                    bulk.setLength(0);
                }
                if (!match) continue;
                if (hasCategory) category.merge(cat, 1L, Long::sum);
                else categoryMissing++;
                if (t.isEmpty()) tagsMissing++;
                for (String x : new java.util.TreeSet<>(t)) tags.merge(x, 1L, Long::sum);
            }
            assertThat(n.send("POST", "/collections/c/bulk?refresh=true", "application/x-ndjson", bulk.toString(), false).status()).isEqualTo(200);

            TestNode.Response r = n.get("/collections/c/query?q=" + java.net.URLEncoder.encode("n % 4 != 0", java.nio.charset.StandardCharsets.UTF_8)
                    + "&facets=category,tags,nope&facet_size=2");
            assertThat(r.status()).as(r.raw()).isEqualTo(200);
            assertThat(r.ids()).as("the default page").hasSize(10);
            assertThat(r.get("total")).isEqualTo(Value.of(45L));

            Value.ObjectValue cat = (Value.ObjectValue) r.get("facets", "category");
            assertThat(buckets(cat)).isEqualTo(top(category, 2));
            assertThat(cat.get("missing")).isEqualTo(Value.of(categoryMissing)).isNotEqualTo(Value.of(0L));
            assertThat(cat.get("other")).isEqualTo(Value.of(45L - categoryMissing
                    - top(category, 2).values().stream().mapToLong(Long::longValue).sum()));

            Value.ObjectValue tg = (Value.ObjectValue) r.get("facets", "tags");
            assertThat(buckets(tg)).isEqualTo(top(tags, 2));
            assertThat(tg.get("missing")).isEqualTo(Value.of(tagsMissing));
            assertThat(r.get("facets", "nope", "missing")).isEqualTo(Value.of(45L));
            assertThat(((Value.ArrayValue) r.get("warnings")).elements()).containsExactly(Value.of("no document has the field 'nope'"));
            TestNode.Response typo = n.get("/collections/c/query?q=n%3E0&facets=categroy&strict=true");
            assertThat(typo.status()).isEqualTo(400);
            assertThat(typo.raw()).contains("did you mean 'category'?");

            assertThat(n.get("/collections/c/query?q=n%3E0&facet_size=0").status()).isEqualTo(400);
        }
    }

    /** The {@code size} largest counts, ties by value. */
    private static Map<String, Long> top(Map<String, Long> counts, int size) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(size).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Map<String, Long> buckets(Value.ObjectValue facet) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Value b : ((Value.ArrayValue) facet.get("buckets")).elements()) {
            Value.ObjectValue o = (Value.ObjectValue) b;
            out.put(((Value.StringValue) o.get("value")).value(), ((Value.IntValue) o.get("count")).value());
        }
        return out;
    }
}
