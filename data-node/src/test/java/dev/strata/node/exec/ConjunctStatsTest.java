package dev.strata.node.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.node.plan.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rank that orders stages, and how measurements move it. */
class ConjunctStatsTest {
    private static Plan.Stage stage(String clause, double staticNanos) { return new Plan.Stage("wasm_udf", clause, null, staticNanos); }

    @Test
    void unmeasuredStagesKeepTheirStaticOrderAndMeasuredOnesRunByRank() {
        ConjunctStats stats = new ConjunctStats();
        List<Plan.Stage> stages = List.of(stage("costly", 50), stage("rare", 50), stage("cheap", 2));
        assertThat(stats.order("c", stages)).as("static costs; equal ones in written order").containsExactly(2, 0, 1);

        stats.record("c", "costly", 1000, 500, 1_000_000, true); // 1,000 ns a row, keeps half: rank 2,000
        stats.record("c", "rare", 500, 1, 10_000, true);          // 20 ns a row, keeps 0.2%: rank ~20
        assertThat(stats.order("c", stages)).containsExactly(2, 1, 0);
        assertThat(stats.order("other", stages)).as("per collection").containsExactly(2, 0, 1);

        stats.record("c", "cheap", 100, 50, 200, false);
        stats.forgetUdfCalls(); // a module changed: what its calls cost is unknown again; plain expressions stay measured
        assertThat(stats.get("c", "costly")).isNull();
        assertThat(stats.get("c", "rare")).isNull();
        assertThat(stats.get("c", "cheap")).isNotNull();
        assertThat(stats.order("c", stages)).containsExactly(2, 0, 1);
    }

    @Test
    void aFilterThatRemovesNothingGoesLastAndNewRunsMoveTheAverages() {
        assertThat(ConjunctStats.rank(1, 1.0)).isGreaterThan(ConjunctStats.rank(1_000_000, 0.99));
        assertThat(ConjunctStats.rank(10, 0.5)).isEqualTo(20.0);

        ConjunctStats stats = new ConjunctStats();
        stats.record("c", "x", 100, 50, 1000, false); // 10 ns, 0.5
        stats.record("c", "x", 100, 0, 3000, false);  // 30 ns, 0.0
        ConjunctStats.Measure m = stats.get("c", "x");
        assertThat(m.runs()).isEqualTo(2);
        assertThat(m.nanosPerRow()).isCloseTo(10 * 0.7 + 30 * 0.3, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(m.selectivity()).isCloseTo(0.5 * 0.7, org.assertj.core.data.Offset.offset(1e-9));
        stats.record("c", "y", 0, 0, 5, false); // no rows reached it: nothing learned
        assertThat(stats.get("c", "y")).isNull();
    }
}
