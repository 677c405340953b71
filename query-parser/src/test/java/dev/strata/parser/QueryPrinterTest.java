package dev.strata.parser;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.ast.Query;
import org.junit.jupiter.api.Test;

class QueryPrinterTest {
    private final QueryParser parser = new QueryParser();

    @Test
    void printThenParseIsTheIdentityOnGeneratedQueries() {
        RandomQueries gen = new RandomQueries(20261124L);
        for (int i = 0; i < 3000; i++) {
            Query generated = gen.query();
            String text = QueryPrinter.print(generated);
            Query parsed = parser.parse(text);
            assertThat(parsed).as("parse(print(ast)) == ast for " + text).isEqualTo(generated);
            String again = QueryPrinter.print(parsed);
            assertThat(again).as("printing is stable for #" + i).isEqualTo(text);
            assertThat(parser.parse(again)).as("parse(print(parse(t))) == parse(t) for " + text).isEqualTo(parsed);
        }
    }

    @Test
    void parsedQueriesPrintCanonically() {
        assertThat(QueryPrinter.print(parser.parse("a or b and not c = 1 order by x desc limit 5 offset 2")))
                .isEqualTo("a OR b AND NOT c = 1 ORDER BY x DESC LIMIT 5 OFFSET 2");
        assertThat(QueryPrinter.print(parser.parse("(a or b) and c"))).isEqualTo("(a OR b) AND c");
        assertThat(QueryPrinter.print(parser.parse("a - (b - c) = -(x * 2)"))).isEqualTo("a - (b - c) = -(x * 2)");
        assertThat(QueryPrinter.print(parser.parse("`order`.`sku code`[1] = 'it''s'")))
                .isEqualTo("`order`.`sku code`[1] = 'it''s'");
        assertThat(QueryPrinter.print(parser.parse("exists(a) && x in (1, null)")))
                .isEqualTo("exists(a) AND x IN (1, NULL)");
    }
}
