package dev.strata.parser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QueryParserTest {
    private final QueryParser parser = new QueryParser();

    private Expr e(String text) { return parser.parseExpression(text); }

    private void same(String a, String b) { assertThat(e(a)).as(a + "  vs  " + b).isEqualTo(e(b)); }

    private void different(String a, String b) { assertThat(e(a)).as(a + "  vs  " + b).isNotEqualTo(e(b)); }

    @Test
    void selectNamesItsItemsByAsOrByTheirTextAndPrintsBackToTheSameQuery() {
        dev.strata.core.ast.Query q = parser.parse("select *, brand.name, price * qty AS total, `odd name` where x = 1 limit 3");
        assertThat(q.select().source()).isTrue();
        assertThat(q.select().items()).extracting(dev.strata.core.ast.Query.Item::name).containsExactly("brand.name", "total", "`odd name`");
        assertThat(q.filter()).isEqualTo(e("x = 1"));
        String printed = QueryPrinter.print(q);
        assertThat(parser.parse(printed)).as(printed).isEqualTo(q);
        assertThat(parser.parse("WHERE x = 1")).isEqualTo(parser.parse("x = 1"));
        assertThat(parser.parse("SELECT a").filter()).isNull();
        assertThatThrownBy(() -> parser.parse("SELECT a, a")).hasMessageContaining("the name 'a' is in the SELECT list twice");
        assertThatThrownBy(() -> parser.parse("SELECT")).isInstanceOf(dev.strata.core.QueryException.class);
        assertThatThrownBy(() -> parser.parse("SELECT *, * WHERE x = 1")).hasMessageContaining("'*' is in the SELECT list twice");
    }

    @Test
    void groupByAndAggregatesParseAndPrintBackToTheSameQuery() {
        dev.strata.core.ast.Query q = parser.parse("select category, count(*) as n, count(distinct brand), avg(price)"
                + " where price > 1 group by category, histogram(price, 10) order by n desc, count(*) limit 5");
        assertThat(q.grouped()).isTrue();
        assertThat(q.groupBy()).containsExactly(e("category"), e("histogram(price, 10)"));
        assertThat(q.select().items().get(1).expr()).isEqualTo(new Expr.Aggregate(dev.strata.core.ast.AggregateFunction.COUNT, null,
                false, dev.strata.core.ast.Span.NONE));
        assertThat(q.select().items().get(2).expr()).isInstanceOfSatisfying(Expr.Aggregate.class, a -> assertThat(a.distinct()).isTrue());
        String printed = QueryPrinter.print(q);
        assertThat(parser.parse(printed)).as(printed).isEqualTo(q);
        assertThat(parser.parse("GROUP BY brand").groupBy()).containsExactly(e("brand"));
        assertThat(parser.parse("SELECT MAX(price)").grouped()).as("an aggregate without GROUP BY: one group").isTrue();
        assertThat(parser.parse("group = 1 AND distinct > 2").filter()).as("group and distinct stay usable as field names")
                .isEqualTo(e("`group` = 1 AND `distinct` > 2"));
        assertThatThrownBy(() -> parser.parse("SELECT SUM(*)")).hasMessageContaining("only COUNT takes '*'");
        assertThatThrownBy(() -> parser.parse("SELECT MIN(DISTINCT x)")).hasMessageContaining("DISTINCT is allowed in COUNT only");
        assertThatThrownBy(() -> parser.parse("SELECT COUNT(a, b)")).hasMessageContaining("count takes one value");
        assertThatThrownBy(() -> parser.parse("x = 1 GROUP BY")).isInstanceOf(dev.strata.core.QueryException.class);
    }

    @Test
    void andBindsTighterThanOrAndNotTighterThanAnd() {
        same("a OR b AND c", "a OR (b AND c)");
        different("a OR b AND c", "(a OR b) AND c");
        same("a AND b OR c AND d", "(a AND b) OR (c AND d)");
        same("NOT a AND b", "(NOT a) AND b");
        same("NOT a = 1 OR b", "(NOT (a = 1)) OR b");
        same("a || b && !c", "a OR (b AND NOT c)");
        same("a or b and not c", "A OR B AND NOT C".replace("A", "a").replace("B", "b").replace("C", "c"));
    }

    @Test
    void arithmeticHasTheUsualPrecedenceAndAssociativity() {
        same("1 + 2 * 3 = x", "1 + (2 * 3) = x");
        same("a - b - c = 0", "(a - b) - c = 0");
        same("a / b * c = 0", "(a / b) * c = 0");
        same("-a * b = 0", "(-a) * b = 0");
        same("a + b > c * d AND e", "((a + b) > (c * d)) AND e");
    }

    @Test
    void predicatesParseToTheirNodes() {
        assertThat(e("price BETWEEN 1 AND 5")).isInstanceOf(Expr.Between.class);
        assertThat(e("price NOT BETWEEN 1 AND 5 AND x")).isInstanceOf(Expr.And.class);
        assertThat(((Expr.In) e("c NOT IN ('a', 'b', NULL)")).negated()).isTrue();
        assertThat(((Expr.Like) e("t ILIKE '%x_'")).caseInsensitive()).isTrue();
        assertThat(((Expr.IsNull) e("t IS NOT NULL")).negated()).isTrue();
        assertThat(((Expr.IsMissing) e("t IS MISSING")).negated()).isFalse();
        assertThat(e("exists(a.b)")).isInstanceOf(Expr.Exists.class);
        assertThat(((Expr.Comparison) e("a <> 1")).op()).isEqualTo(ComparisonOp.NE);
        assertThat(((Expr.Comparison) e("a == 1")).op()).isEqualTo(ComparisonOp.EQ);
        assertThat(((Expr.Comparison) e("a != 1")).op()).isEqualTo(ComparisonOp.NE);
    }

    @Test
    void pathsPseudoFieldsAndQuotedNames() {
        Expr.Comparison c = (Expr.Comparison) e("items[2].`sku code` = `_id`");
        assertThat(((Expr.Field) c.left()).path()).isEqualTo(new FieldPath(List.of(new FieldPath.Key("items"),
                new FieldPath.Index(2), new FieldPath.Key("sku code"))));
        assertThat(((Expr.Field) c.right()).path()).isEqualTo(FieldPath.of("_id"));
        assertThat(((Expr.Comparison) e("_id = 'x'")).left()).isInstanceOf(Expr.DocId.class);
        assertThat(((Expr.Comparison) e("_SCORE > 1")).left()).isInstanceOf(Expr.Score.class);
        assertThat(((Expr.Comparison) e("date = DATE '2024-01-31'")).left()).isEqualTo(
                new Expr.Field(FieldPath.of("date"), dev.strata.core.ast.Span.NONE));
        assertThat(((Expr.Comparison) e("`a``b` = 1")).left()).isEqualTo(new Expr.Field(FieldPath.of("a`b"), dev.strata.core.ast.Span.NONE));
    }

    @Test
    void literalsAreTyped() {
        assertThat(lit("-9223372036854775808")).isEqualTo(Value.of(Long.MIN_VALUE));
        assertThat(lit("1.5e3")).isEqualTo(Value.of(1500.0));
        assertThat(lit(".5")).isEqualTo(Value.of(0.5));
        assertThat(lit("'it''s \\n \\u00e9'")).isEqualTo(Value.of("it's \n \u00e9"));
        assertThat(lit("DATE '2024-01-31'")).isEqualTo(new Value.DateValue(19753));
        assertThat(lit("TIMESTAMP '1970-01-01T00:00:01.5Z'")).isEqualTo(new Value.TimestampValue(1_500_000));
        assertThat(lit("TIMESTAMP '1970-01-01T01:00:00+01:00'")).isEqualTo(new Value.TimestampValue(0));
        assertThat(lit("null")).isEqualTo(Value.NULL);
        assertThat(lit("True")).isEqualTo(Value.TRUE);
    }

    private Value lit(String text) {
        return ((Expr.Literal) ((Expr.Comparison) e("x = " + text)).right()).value();
    }

    @Test
    void udfCallsStandWhereverAnExpressionMay() {
        Query q = parser.parse("wasm_udf('text.distance', title, 'iphone') * 2 < 3 "
                + "SET _score = python_udf('rank.boost', price) ORDER BY wasm_udf('m.f') DESC, price LIMIT 10 OFFSET 5");
        Expr.UdfCall call = (Expr.UdfCall) ((Expr.Arithmetic) ((Expr.Comparison) q.filter()).left()).left();
        assertThat(call.tier()).isEqualTo("wasm_udf");
        assertThat(call.module()).isEqualTo("text");
        assertThat(call.function()).isEqualTo("distance");
        assertThat(call.args()).hasSize(2);
        assertThat(((Expr.UdfCall) q.score()).tier()).isEqualTo("python_udf");
        assertThat(q.orderBy()).hasSize(2);
        assertThat(q.orderBy().get(0).descending()).isTrue();
        assertThat(q.orderBy().get(1).descending()).isFalse();
        assertThat(q.limit()).hasValue(10);
        assertThat(q.offset()).isEqualTo(5);
    }

    @Test
    void aQueryMayBeOnlySortingOrPaging() {
        Query q = parser.parse("ORDER BY price DESC LIMIT 3");
        assertThat(q.filter()).isNull();
        assertThat(q.limit()).hasValue(3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "price >|unexpected end of query; expected an expression at line 1, column 8",
        "(price > 10|unexpected end of query; expected an operator such as = < + BETWEEN IN LIKE IS, AND, OR or ')' at line 1, column 12",
        "price 10|unexpected '10'; expected an operator such as = < + BETWEEN IN LIKE IS, AND, OR, the end of the query, ORDER BY or LIMIT at line 1, column 7",
        "a IS 5|unexpected '5'; expected NULL, MISSING or NOT at line 1, column 6",
        "a.|unexpected end of query; expected a field name at line 1, column 3",
        "a BETWEEN 1|unexpected end of query; expected AND at line 1, column 12",
        "ORDER price|unexpected 'price'; expected BY at line 1, column 7",
        "a = 1 LIMIT x|unexpected 'x'; expected a whole number at line 1, column 13",
        "a[x] = 1|unexpected 'x'; expected a whole number at line 1, column 3",
        "a = = 1|unexpected '='; expected an expression at line 1, column 5",
        "x IN ()|unexpected ')'; expected an expression at line 1, column 7",
    })
    void syntaxErrorsSayWhereAndWhatWasExpectedInWords(String query, String message) {
        assertThatThrownBy(() -> parser.parse(query))
                .isInstanceOf(QueryException.class)
                .satisfies(ex -> {
                    QueryException q = (QueryException) ex;
                    assertThat(q.getMessage().lines().findFirst()).hasValue(message);
                    assertThat(q.code()).isEqualTo(ErrorCode.QUERY_SYNTAX);
                    assertThat(q.getMessage()).doesNotContain("IDENT", "<EOF>", "STRING", "INTEGER");
                });
    }

    @Test
    void theCaretSitsUnderTheOffendingText() {
        assertThatThrownBy(() -> parser.parse("price > 10\n  AND category = = 'x'"))
                .hasMessage("unexpected '='; expected an expression at line 2, column 18\n"
                        + "    AND category = = 'x'\n"
                        + "                   ^");
    }

    @Test
    void unterminatedStringAndIllegalCharacterHaveTheirOwnMessages() {
        assertThatThrownBy(() -> parser.parse("title = 'abc AND x = 1"))
                .hasMessage("unterminated string: a string opened here has no closing quote at line 1, column 9\n"
                        + "  title = 'abc AND x = 1\n"
                        + "          ^");
        assertThatThrownBy(() -> parser.parse("price # 3"))
                .hasMessageStartingWith("illegal character '#' (U+0023) at line 1, column 7");
        assertThatThrownBy(() -> parser.parse("`abc = 1"))
                .hasMessageStartingWith("unterminated quoted name: a ` opened here has no closing ` at line 1, column 1");
    }

    @Test
    void badLiteralsAndCallsArePositioned() {
        assertThatThrownBy(() -> parser.parse("d = DATE '2024-13-01'"))
                .hasMessageStartingWith("bad DATE literal: not a date of the form yyyy-mm-dd: '2024-13-01' at line 1, column 10")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.INVALID_LITERAL);
        assertThatThrownBy(() -> parser.parse("n = 99999999999999999999"))
                .hasMessageStartingWith("integer literal out of the 64-bit range");
        assertThatThrownBy(() -> parser.parse("a = 'x\\q'")).hasMessageStartingWith("unknown escape \\q in string");
        assertThatThrownBy(() -> parser.parse("exists(1)")).hasMessageStartingWith("exists takes exactly one field");
        assertThatThrownBy(() -> parser.parse("wasm_udf(title) > 1"))
                .hasMessageStartingWith("wasm_udf takes 'module.function' as its first argument");
        assertThatThrownBy(() -> parser.parse("   ")).hasMessageStartingWith("the query is empty");
    }

    @Test
    void limitsHaveTheirOwnMessages() {
        QueryParser small = new QueryParser(new ParserLimits(100, 5, 3));
        assertThatThrownBy(() -> small.parse("a = '" + "x".repeat(200) + "'"))
                .hasMessageStartingWith("the query is 206 characters long; the limit is 100")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_LONG);
        assertThatThrownBy(() -> small.parse("((((((a = 1))))))"))
                .hasMessageStartingWith("the query nests deeper than 5 levels at line 1, column 6")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_DEEP);
        assertThatThrownBy(() -> small.parse("NOT NOT NOT NOT NOT NOT a"))
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_DEEP);
        assertThatThrownBy(() -> small.parse("a IN (1, 2, 3, 4)"))
                .hasMessageStartingWith("the IN list has 4 items; the limit is 3 at line 1, column 3")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.LIST_TOO_LONG);
        assertThat(small.parse("a IN (1, 2, 3)")).isNotNull();
    }

    @Test
    void defaultDepthLimitStopsAHostileQueryBeforeTheStackDoes() {
        String deep = "(".repeat(5000) + "a = 1" + ")".repeat(5000);
        assertThatThrownBy(() -> parser.parse(deep))
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_DEEP);
        String manyNots = "NOT ".repeat(10_000) + "a";
        assertThatThrownBy(() -> parser.parse(manyNots))
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_DEEP);
    }

    /** Depth of an expression tree, counted by a test that only meets shallow trees. */
    private static int depth(Expr e) {
        return 1 + switch (e) {
            case Expr.And a -> Math.max(depth(a.left()), depth(a.right()));
            case Expr.Or o -> Math.max(depth(o.left()), depth(o.right()));
            case Expr.Arithmetic a -> Math.max(depth(a.left()), depth(a.right()));
            case Expr.Comparison c -> Math.max(depth(c.left()), depth(c.right()));
            default -> 0;
        };
    }

    @Test
    void aLongArithmeticChainIsRefusedWhereItPassesTheTreeDepthLimit() {
        String chain = "x = " + String.join("+", java.util.Collections.nCopies(2000, "1"));
        assertThatThrownBy(() -> parser.parse(chain))
                .isInstanceOf(QueryException.class)
                .hasMessageStartingWith("this chain of operators is more than 256 long; each operator of a chain such as a + b + c is one level")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_DEEP);
        String longest = "x = " + String.join("+", java.util.Collections.nCopies(32_000, "1"));
        assertThat(longest.length()).isLessThan(ParserLimits.DEFAULT.maxLength());
        assertThatThrownBy(() -> parser.parse(longest)).extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_DEEP);
        assertThat(parser.parse("x = " + String.join("+", java.util.Collections.nCopies(200, "1")))).isNotNull();
    }

    @Test
    void aLongAndChainIsGroupedIntoAShallowTreeWithTheSameMeaning() {
        String chain = String.join(" AND ", java.util.Collections.nCopies(4000, "a = 1"));
        Expr e = parser.parseExpression(chain);
        assertThat(depth(e)).isLessThanOrEqualTo(1 + 7 + 32);
        int leaves = 0;
        java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>(java.util.List.of(e));
        while (!todo.isEmpty()) {
            Expr x = todo.pop();
            if (x instanceof Expr.And a) {
                todo.push(a.left());
                todo.push(a.right());
            } else {
                leaves++;
            }
        }
        assertThat(leaves).isEqualTo(4000);
        // short chains keep the shape as written
        same("a AND b AND c", "(a AND b) AND c");
        assertThat(parser.parseExpression(String.join(" OR ", java.util.Collections.nCopies(6_000, "a=1")))).isInstanceOf(Expr.Or.class);
    }

    @Test
    void chainsInsideParenthesesInsideChainsAreBoundedAsAWhole() {
        String level = String.join("+", java.util.Collections.nCopies(200, "1"));
        String nested = "x = " + "(".repeat(60) + level + (")+" + level).repeat(60);
        assertThatThrownBy(() -> parser.parse(nested))
                .hasMessageContaining("the expression is nested more than 256 levels deep here")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.QUERY_TOO_DEEP);
    }

    @Test
    void functionArgumentsAndLoneSurrogatesAreRefusedWithPositions() {
        String many = "concat(" + String.join(", ", java.util.Collections.nCopies(1001, "'a'")) + ") = 'x'";
        assertThatThrownBy(() -> parser.parse(many))
                .hasMessageStartingWith("concat is called with 1001 arguments; the limit is 1000 at line 1, column 1")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.LIST_TOO_LONG);
        assertThatThrownBy(() -> parser.parse("a = '\\ud800'"))
                .hasMessageStartingWith("a lone surrogate \\ud800 in a string: text must be valid Unicode")
                .extracting(x -> ((QueryException) x).code()).isEqualTo(ErrorCode.INVALID_LITERAL);
        assertThat(parser.parse("a = '\\ud83d\\ude00'")).isNotNull();
    }
}
