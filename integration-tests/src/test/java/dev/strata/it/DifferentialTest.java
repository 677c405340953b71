package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compiled tier and the naive oracle agree on generated queries over generated documents. */
class DifferentialTest {
    private static Harness harness(long seed, int docs) {
        Generated g = new Generated(seed);
        List<String> json = new ArrayList<>();
        for (int i = 0; i < docs; i++) json.add(g.document());
        return new Harness(json, "day");
    }

    /** Runs {@code count} queries on both evaluators, whole and in small batches; returns how many matched something. */
    private static int agree(Harness h, int count, int smallBatch, java.util.function.Supplier<String> queries) {
        int nonEmpty = 0;
        for (int i = 0; i < count; i++) {
            String q = queries.get();
            List<String> expected = h.naive(q);
            assertThat(h.compiled(q)).as("#" + i + ": " + q).containsExactlyElementsOf(expected);
            assertThat(h.compiled(q, 1 + i % smallBatch)).as("#" + i + " in small batches: " + q).containsExactlyElementsOf(expected);
            if (!expected.isEmpty()) nonEmpty++;
        }
        return nonEmpty;
    }

    @Test
    void compiledTierMatchesTheOracleOnTypedQueries() {
        Generated g = new Generated(2L);
        assertThat(agree(harness(1L, 600), 1500, 100, () -> g.condition(3).strata()))
                .as("the generator asks questions with answers").isGreaterThan(300);
    }

    @Test
    void compiledTierMatchesTheOracleOnArraysMixedKindsAndNestedPaths() {
        Generated g = new Generated(4L);
        assertThat(agree(harness(3L, 600), 1500, 50, () -> g.naiveOnly(2))).isGreaterThan(300);
    }
}
