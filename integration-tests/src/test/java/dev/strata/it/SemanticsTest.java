package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The semantics table of README.md, row by row, on the compiled tier and on the oracle. */
class SemanticsTest {
    // d0..d9; each row of the README's table is checked on these documents.
    private static final Harness H = new Harness(List.of(
            "{\"a\":1,   \"s\":\"x\",      \"t\":[1,2],    \"f\":-0.0, \"b\":true,  \"o\":{\"k\":1}}",
            "{\"a\":null,\"s\":\"\\uFFFD\", \"t\":[],       \"f\":0.0,  \"b\":false, \"o\":{\"k\":null}}",
            "{           \"s\":\"\\uD83D\\uDE00\", \"t\":[null,3], \"f\":2.5, \"o\":5}",
            "{\"a\":2,   \"s\":null,     \"t\":3,        \"f\":null, \"b\":null}",
            "{\"a\":3,   \"s\":\"abc\",    \"t\":[[4],5],  \"i\":7, \"o\":{}}",
            "{\"a\":9223372036854775807, \"i\":0}",
            "{\"a\":5, \"i\":2, \"m\":1}",
            "{\"a\":6, \"m\":\"1\"}",
            "{\"a\":7, \"m\":1.0}",
            "{\"a\":8, \"m\":[\"1\",1]}"));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // only TRUE matches; NOT of UNKNOWN is UNKNOWN
        "a = 1                          | d0",
        "NOT a = 1                      | d3,d4,d5,d6,d7,d8,d9",
        "NOT (a = 1 AND a IS NULL)      | d0,d3,d4,d5,d6,d7,d8,d9",
        "a = 1 OR a IS NULL             | d0,d1",
        // IN with NULL: never FALSE
        "a IN (1, NULL)                 | d0",
        "a NOT IN (1, NULL)             | ''",
        "a NOT IN (1, 2)                | d4,d5,d6,d7,d8,d9",
        // null versus missing
        "a IS NULL                      | d1",
        "a IS NOT NULL                  | d0,d3,d4,d5,d6,d7,d8,d9",
        "a IS MISSING                   | d2",
        "a IS NOT MISSING               | d0,d1,d3,d4,d5,d6,d7,d8,d9",
        "exists(a)                      | d0,d1,d3,d4,d5,d6,d7,d8,d9",
        "o.k IS MISSING                 | d2,d3,d4,d5,d6,d7,d8,d9",
        "o.k IS NULL                    | d1",
        // 1 = 1.0 and -0.0 = 0.0
        "a = 1.0                        | d0",
        "f = 0                          | d0,d1",
        "f = -0.0                       | d0,d1",
        "m = 1                          | d6,d8,d9",
        "m = '1'                        | d7,d9",
        "-m = -1                        | d6,d8,d9",
        "m LIKE '1'                     | d7,d9",
        // code-point order: U+FFFD < U+1F600
        "s > '\\uFFFD'                  | d2",
        "s < '\\uD83D\\uDE00'           | d0,d1,d4",
        // division: int / int is a float; by zero is null
        "a / 2 = 0.5                    | d0",
        "a / i > 1                      | d6",
        "a / i IS NULL                  | d0,d1,d2,d3,d5,d7,d8,d9",
        "a % i = 1                      | d6",
        // arrays: any element matches; an empty array matches nothing, but is not missing
        "t = 3                          | d2,d3",
        "t > 4                          | d4",
        "NOT t = 1                      | d1,d3,d4",
        "t IS NULL                      | d2",
        "t IS NOT MISSING AND NOT t > 0 | d1",
        "t[1] = 3                       | d2",
        "t[0] = 4                       | d4",
        // a bool field is a condition
        "b                              | d0",
        "NOT b                          | d1",
    })
    void theSemanticsTableHolds(String query, String expected) {
        List<String> ids = expected.isBlank() ? List.of() : List.of(expected.split(","));
        assertThat(H.compiled(query.trim())).as("compiled: " + query).containsExactlyElementsOf(ids);
        assertThat(H.compiled(query.trim(), 3)).as("compiled in batches of 3: " + query).containsExactlyElementsOf(ids);
        assertThat(H.naive(query.trim())).as("oracle: " + query).containsExactlyElementsOf(ids);
    }

    @Test
    void integerOverflowIsAnErrorNotAWrapAround() {
        assertThatThrownBy(() -> H.compiled("a + 1 > 0"))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("integer overflow in 'a + 1' at line 1, column 1")
                .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.INTEGER_OVERFLOW);
        assertThatThrownBy(() -> H.naive("a + 1 > 0")).isInstanceOf(StrataException.class);
    }

    @Test
    void aBetweenBoundOfAnotherKindCountsAsNullButKnownKindsMustMeet() {
        // m holds ints, floats and strings; d7 has m = '1', a null bound for a number, and 6 <= 4 is FALSE
        assertThat(H.compiled("a NOT BETWEEN m AND 4")).containsExactly("d5", "d6", "d7", "d8", "d9");
        assertThat(H.naive("a NOT BETWEEN m AND 4")).containsExactly("d5", "d6", "d7", "d8", "d9");
        assertThatThrownBy(() -> H.compiled("a BETWEEN 'x' AND 5"))
                .hasMessageStartingWith("cannot compare field a (int) with 'x' (string) at line 1, column 1");
    }

    @Test
    void aStringComparedWithANumberIsACompileErrorWithPosition() {
        assertThatThrownBy(() -> H.compiled("a > 0 AND s = 5"))
                .hasMessage("cannot compare field s (string) with 5 (int) at line 1, column 11\n"
                        + "  a > 0 AND s = 5\n"
                        + "            ^^^^^");
    }
}
