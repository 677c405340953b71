package dev.strata.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import org.junit.jupiter.api.Test;

class SortKeysTest {
    private static int cmp(SortKeys k, int i, int j, boolean descending) { return Integer.signum(SortKeys.compare(k, i, k, j, descending)); }

    @Test
    void nullsSortLastInEitherDirectionAndNumbersCompareByValueIntsExactly() {
        SortKeys k = new SortKeys();
        k.ensure(6);
        k.setNull(0);
        k.setInt(1, (1L << 53) + 1);
        k.setInt(2, 1L << 53);
        k.setFloat(3, 2.5);
        k.setInt(4, 2);
        k.setFloat(5, -0.0);
        assertThat(cmp(k, 0, 1, false)).isEqualTo(1);
        assertThat(cmp(k, 0, 1, true)).isEqualTo(1);
        assertThat(cmp(k, 1, 2, false)).as("ints beyond 2^53 stay exact").isEqualTo(1);
        assertThat(cmp(k, 3, 4, false)).as("an int against a float by value").isEqualTo(1);
        assertThat(cmp(k, 3, 4, true)).isEqualTo(-1);
        k.setInt(4, 0);
        assertThat(cmp(k, 5, 4, false)).as("-0.0 = 0").isZero();
        assertThat(k.value(1)).isEqualTo(Value.of((1L << 53) + 1));
    }

    @Test
    void stringsCompareByCodePointAndDifferentKindsByKind() {
        SortKeys k = new SortKeys();
        k.ensure(4);
        k.setString(0, "\uFF21"); // fullwidth A: U+FF21
        k.setString(1, "\uD83D\uDE00"); // an emoji: U+1F600, above it by code point, below it in UTF-16
        k.setPayload(2, ValueKind.BOOL, 1);
        k.setInt(3, 7);
        assertThat(cmp(k, 0, 1, false)).isEqualTo(-1);
        assertThat(cmp(k, 2, 3, false)).isEqualTo(Integer.signum(Integer.compare(ValueKind.BOOL.ordinal(), ValueKind.INT.ordinal())));
        SortKeys other = new SortKeys();
        other.ensure(1);
        other.copy(0, k, 1);
        assertThat(SortKeys.compare(other, 0, k, 1, false)).isZero();
        assertThat(other.value(0)).isEqualTo(Value.of("\uD83D\uDE00"));
    }
}
