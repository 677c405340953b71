package dev.strata.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Query;
import dev.strata.parser.QueryParser;
import dev.strata.parser.QueryPrinter;
import dev.strata.parser.RandomQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever the input, the answer is a result or one clear user error, never a crash. */
class RobustnessTest {
    private static final String[] FRAGMENTS = {"a", "price", "`x y`", "_id", "_score", "1", "-2.5e3", "'s'", "'",
        "`", "(", ")", "[", "]", "[0]", ".", ",", "=", "==", "!=", "<>", "<", ">=", "+", "-", "*", "/", "%", "AND",
        "OR", "NOT", "&&", "||", "!", "BETWEEN", "IN", "LIKE", "ILIKE", "IS", "NULL", "MISSING", "TRUE", "DATE",
        "TIMESTAMP", "'2024-01-01'", "ORDER", "BY", "DESC", "LIMIT", "OFFSET", "SET", "lower(", "exists(",
        "wasm_udf(", "'m.f'", "#", "\t", "\n", "é", "\uD83D\uDE00", "''''", "'\\q'"};

    @Test
    void tokenSoupGivesAResultOrOnePositionedSyntaxError() {
        QueryParser parser = new QueryParser();
        Random r = new Random(99);
        int errors = 0;
        for (int i = 0; i < 20_000; i++) {
            StringBuilder q = new StringBuilder();
            for (int k = 1 + r.nextInt(12); k > 0; k--) q.append(FRAGMENTS[r.nextInt(FRAGMENTS.length)]).append(r.nextBoolean() ? " " : "");
            try {
                parser.parse(q.toString());
            } catch (QueryException e) {
                errors++;
                assertThat(e.code().kind()).as(q.toString()).isEqualTo(ErrorCode.Kind.USER);
                assertThat(e.line()).as(q.toString()).isPositive();
                assertThat(e.getMessage()).as(q.toString()).contains("line " + e.line() + ", column " + e.column())
                        .doesNotContain("IDENT", "<EOF>", "token recognition", "mismatched input", "extraneous input");
            } catch (RuntimeException | StackOverflowError e) {
                fail("'" + q + "' crashed the parser", e);
            }
        }
        assertThat(errors).isBetween(1_000, 19_999);
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"5, 8", "12, 84", "19, 133"})
    void randomQueriesCompileOrFailAsUserErrorsAndAgreeWithTheOracleWhenTheyRun(long docSeed, long querySeed) {
        Random r = new Random(docSeed);
        String[] names = {"a", "price", "b_2", "date", "missing", "sku code", "and", "x`y", "_id", "ü"};
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            StringBuilder d = new StringBuilder("{");
            for (String n : names) {
                if (r.nextInt(3) == 0) continue;
                if (d.length() > 1) d.append(',');
                String value = switch (r.nextInt(7)) {
                    case 0 -> String.valueOf(r.nextInt(100) - 50);
                    case 1 -> String.valueOf(r.nextInt(1000) / 10.0);
                    case 2 -> "\"" + (char) ('a' + r.nextInt(3)) + "\"";
                    case 3 -> "null";
                    case 4 -> String.valueOf(r.nextBoolean());
                    case 5 -> "[" + r.nextInt(10) + ",\"b\",null]";
                    default -> "{\"a\":" + r.nextInt(5) + ",\"price\":[1,2]}";
                };
                d.append('"').append(n.replace("`", "`")).append("\":").append(value);
            }
            docs.add(d.append('}').toString());
        }
        Harness h = new Harness(docs);
        RandomQueries gen = new RandomQueries(querySeed);
        int compiled = 0;
        for (int i = 0; i < 4_000; i++) {
            Query generated = gen.query();
            if (generated.filter() == null) continue;
            String text = QueryPrinter.print(generated.filter());
            List<String> got;
            try {
                got = h.compiled(text);
            } catch (StrataException e) {
                assertThat(e.code().kind()).as(text + " -> " + e.getMessage()).isEqualTo(ErrorCode.Kind.USER);
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("'" + text + "' crashed the compiled tier", e);
            }
            compiled++;
            List<String> expected;
            try {
                expected = h.naive(text);
            } catch (StrataException overflow) {
                continue; // which documents reach an overflowing operand is not specified
            }
            assertThat(got).as("#" + i + ": " + text).containsExactlyElementsOf(expected);
        }
        assertThat(compiled).as("enough random queries are well-typed to mean something").isGreaterThan(300);
    }
}
