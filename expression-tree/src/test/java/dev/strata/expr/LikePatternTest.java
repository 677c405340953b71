package dev.strata.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.spi.ExecutionContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The linear LIKE matcher against a plain dynamic-programming oracle, and against hostile patterns. */
class LikePatternTest {
    /** The textbook O(n*m) table: whether text[..i] matches pattern[..j]; independent of the matcher under test. */
    static boolean oracle(String text, String pattern) {
        int[] t = text.codePoints().toArray();
        int[] p = pattern.codePoints().toArray();
        boolean[][] m = new boolean[t.length + 1][p.length + 1];
        m[0][0] = true;
        for (int j = 1; j <= p.length; j++) m[0][j] = m[0][j - 1] && p[j - 1] == '%';
        for (int i = 1; i <= t.length; i++) {
            for (int j = 1; j <= p.length; j++) {
                if (p[j - 1] == '%') m[i][j] = m[i][j - 1] || m[i - 1][j];
                else m[i][j] = m[i - 1][j - 1] && (p[j - 1] == '_' || p[j - 1] == t[i - 1]);
            }
        }
        return m[t.length][p.length];
    }

    @Test
    void agreesWithTheOracleOnRandomTextsAndPatterns() {
        Random r = new Random(42);
        String[] textChars = {"a", "b", "c", "é", "😀"};
        String[] patternChars = {"a", "b", "%", "_", "😀", "c"};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = r.nextInt(12); i > 0; i--) text.append(textChars[r.nextInt(textChars.length)]);
            StringBuilder pattern = new StringBuilder();
            for (int i = r.nextInt(8); i > 0; i--) pattern.append(patternChars[r.nextInt(patternChars.length)]);
            assertThat(new LikePattern(pattern.toString(), false).matches(text.toString()))
                    .as("'%s' LIKE '%s'", text, pattern).isEqualTo(oracle(text.toString(), pattern.toString()));
        }
    }

    @Test
    void longSegmentsWithWildcardsSpanSeveralWords() {
        String segment = "ab_".repeat(40) + "z"; // 121 code points: two words of the bit-parallel search
        String text = "x".repeat(1000) + "abq".repeat(40) + "z" + "y".repeat(10);
        assertThat(new LikePattern("%" + segment + "%", false).matches(text)).isTrue();
        assertThat(new LikePattern("%" + segment + "%", false).matches(text.replace("z", "w"))).isFalse();
        assertThat(new LikePattern("x%" + segment + "%y", false).matches(text)).isTrue();
        assertThat(new LikePattern("%É%", true).matches("café")).isTrue();
    }

    @Test
    void aPatternThatMadeTheOldMatcherBacktrackRunsInLinearTimeAndHonoursTheDeadline() {
        String huge = "a".repeat(1 << 20);
        assertThat(new LikePattern("%" + "a".repeat(5000) + "b", false).matches(huge)).isFalse();
        LikePattern p = new LikePattern("%" + "a".repeat(5000) + "b%", false); // found by Knuth-Morris-Pratt
        assertThat(p.matches(huge)).isFalse();
        LikePattern wild = new LikePattern("%" + "a".repeat(2000) + "_b%", false); // found by shift-and
        assertThat(wild.matches(huge + "xb")).isTrue();
        assertThat(wild.matches(huge)).isFalse();
        ExecutionContext past = ExecutionContext.withBudget(1);
        while (past.remainingNanos() >= 0) Thread.onSpinWait();
        assertThatThrownBy(() -> wild.matches(huge, past))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("ran past its deadline of 0 ms and was stopped while matching a LIKE pattern")
                .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
    }
}
