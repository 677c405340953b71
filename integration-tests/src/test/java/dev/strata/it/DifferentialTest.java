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

    @Test
    void compiledTierMatchesTheOracleOnTypedQueries() {
        Harness h = harness(1L, 600);
        Generated g = new Generated(2L);
        int nonEmpty = 0;
        for (int i = 0; i < 1500; i++) {
            String q = g.condition(3).strata();
            List<String> expected = h.naive(q);
            assertThat(h.compiled(q)).as("#" + i + ": " + q).containsExactlyElementsOf(expected);
            assertThat(h.compiled(q, 1 + i % 100)).as("#" + i + " in small batches: " + q).containsExactlyElementsOf(expected);
            if (!expected.isEmpty()) nonEmpty++;
        }
        assertThat(nonEmpty).as("the generator asks questions with answers").isGreaterThan(300);
    }

    @Test
    void compiledTierMatchesTheOracleOnArraysMixedKindsAndNestedPaths() {
        Harness h = harness(3L, 600);
        Generated g = new Generated(4L);
        int nonEmpty = 0;
        for (int i = 0; i < 1500; i++) {
            String q = g.naiveOnly(2);
            List<String> expected = h.naive(q);
            assertThat(h.compiled(q)).as("#" + i + ": " + q).containsExactlyElementsOf(expected);
            assertThat(h.compiled(q, 1 + i % 50)).as("#" + i + " in small batches: " + q).containsExactlyElementsOf(expected);
            if (!expected.isEmpty()) nonEmpty++;
        }
        assertThat(nonEmpty).isGreaterThan(300);
    }
}
