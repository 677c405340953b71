package dev.strata.core.value;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CodePointsTest {
    @Test
    void supplementaryCharactersSortAfterTheBasicPlane() {
        String replacement = "\uFFFD";
        String grin = "\uD83D\uDE00";
        assertThat(replacement.compareTo(grin)).as("UTF-16 order gets this wrong").isPositive();
        assertThat(CodePoints.compare(replacement, grin)).isNegative();
        assertThat(CodePoints.compare(grin, replacement)).isPositive();
    }

    @Test
    void prefixesAndEqualStrings() {
        assertThat(CodePoints.compare("ab", "abc")).isNegative();
        assertThat(CodePoints.compare("abc", "abc")).isZero();
        assertThat(CodePoints.compare("b", "a")).isPositive();
    }
}
