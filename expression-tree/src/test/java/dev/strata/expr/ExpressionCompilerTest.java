package dev.strata.expr;

import static dev.strata.expr.Ast.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.StrataException;
import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.segment.Segment;
import dev.strata.core.segment.SegmentBuilder;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExpressionCompilerTest {
    private static Segment segment(String... docs) {
        SegmentBuilder b = new SegmentBuilder();
        for (int i = 0; i < docs.length; i++) b.add("d" + i, (Value.ObjectValue) Json.parse(docs[i]));
        return b.build();
    }

    private static List<String> run(Expr e, Segment s) { return run(e, s, CompileContext.of(null, s.schema())); }

    private static List<String> run(Expr e, Segment s, CompileContext ctx) {
        var f = ExpressionCompiler.compileFilter(e, ctx).bind(s);
        int[] docs = new int[s.docCount()];
        for (int i = 0; i < docs.length; i++) docs[i] = i;
        int kept = f.filter(docs, docs.length);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < kept; i++) ids.add(s.id(docs[i]));
        return ids;
    }

    @Test
    void constantsAreFoldedAtCompileTime() {
        Segment s = segment("{\"a\":1}");
        var ctx = CompileContext.of(null, s.schema());
        assertThat(ExpressionCompiler.compileFilter(gt(arith(ArithmeticOp.MULTIPLY, lit(2), lit(3)), lit(5)), ctx).isAlwaysTrue()).isTrue();
        assertThat(ExpressionCompiler.compileFilter(eq(lit(1), lit(Value.NULL)), ctx).isNeverTrue()).isTrue();
        assertThat(ExpressionCompiler.compileFilter(eq(lit(1), lit(1.0)), ctx).isAlwaysTrue()).isTrue();
    }

    @Test
    void overflowInAConstantIsACompileErrorWithPosition() {
        Segment s = segment("{\"a\":1}");
        Expr big = new Expr.Arithmetic(ArithmeticOp.MULTIPLY, lit(Long.MAX_VALUE), lit(2), new Span(1, 5, 3));
        assertThatThrownBy(() -> ExpressionCompiler.compileFilter(gt(big, lit(0)), CompileContext.of(null, s.schema())))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("integer overflow")
                .hasMessageContaining("line 1, column 5")
                .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.INTEGER_OVERFLOW);
    }

    @Test
    void stringComparedWithNumberIsAPositionedCompileError() {
        Segment s = segment("{\"category\":\"phones\"}");
        Expr bad = new Expr.Comparison(dev.strata.core.ast.ComparisonOp.GT, field("category"), lit(5), new Span(1, 3, 12));
        assertThatThrownBy(() -> ExpressionCompiler.compileFilter(bad, CompileContext.of("x category > 5", s.schema())))
                .isInstanceOf(QueryException.class)
                .hasMessageStartingWith("cannot compare field category (string) with 5 (int) at line 1, column 3")
                .extracting(e -> ((QueryException) e).code()).isEqualTo(ErrorCode.TYPE_MISMATCH);
    }

    /** Compiles {@code e} as a value and evaluates it for every document of {@code s}. */
    private static List<Value> values(Expr e, Segment s) {
        var bound = ExpressionCompiler.compileSortKey(e, CompileContext.of(null, s.schema())).bind(s, dev.strata.core.spi.ExecutionContext.unbounded());
        int[] docs = new int[s.docCount()];
        for (int i = 0; i < docs.length; i++) docs[i] = i;
        Value[] out = new Value[docs.length];
        bound.evaluateValues(docs, docs.length, null, out);
        return List.of(out);
    }

    @Test
    void histogramsGiveTheStartOfEachBucket() {
        Segment s = segment("{\"n\":-7,\"x\":-0.5}", "{\"n\":7,\"x\":2.5}", "{\"n\":null}");
        Expr n = new Expr.Call("histogram", List.of(field("n"), lit(5)), Span.NONE);
        assertThat(values(n, s)).as("floor, not truncation, for negatives").containsExactly(Value.of(-10L), Value.of(5L), Value.NULL);
        Expr x = new Expr.Call("histogram", List.of(field("x"), lit(0.5)), Span.NONE);
        assertThat(values(x, s)).containsExactly(Value.of(-0.5), Value.of(2.5), Value.NULL);
        long at = java.time.Instant.parse("2024-03-31T23:59:59.500Z").toEpochMilli() * 1000;
        Expr hour = new Expr.Call("date_histogram", List.of(lit(new Value.TimestampValue(at)), lit("hour")), Span.NONE);
        assertThat(values(hour, s).get(0)).isEqualTo(new Value.TimestampValue(java.time.Instant.parse("2024-03-31T23:00:00Z").toEpochMilli() * 1000));
        Expr quarter = new Expr.Call("date_histogram", List.of(lit(new Value.TimestampValue(at)), lit("QUARTER")), Span.NONE);
        assertThat(values(quarter, s).get(0)).isEqualTo(new Value.TimestampValue(java.time.Instant.parse("2024-01-01T00:00:00Z").toEpochMilli() * 1000));
        Expr bad = new Expr.Call("histogram", List.of(field("n"), lit(0)), new Span(1, 1, 15));
        assertThatThrownBy(() -> values(bad, s)).isInstanceOf(QueryException.class).hasMessageContaining("interval must be a positive number");
        Expr wrong = new Expr.Call("date_histogram", List.of(field("n"), lit("day")), Span.NONE);
        assertThatThrownBy(() -> values(wrong, s)).isInstanceOf(QueryException.class).hasMessageContaining("needs a date or timestamp");
    }

    @Test
    void mixedKindFieldsReadTheKindTheContextNeeds() {
        Segment s = segment("{\"x\":5}", "{\"x\":\"5\"}", "{\"x\":7.5}", "{\"x\":null}", "{}");
        assertThat(run(gt(field("x"), lit(4)), s)).containsExactly("d0", "d2");
        assertThat(run(eq(field("x"), lit("5")), s)).containsExactly("d1");
        assertThat(run(not(gt(field("x"), lit(4))), s)).isEmpty();
    }

    @Test
    void aUdfInsideAnExpressionRunsThroughTheResolverBatchByBatch() {
        Segment s = segment("{\"t\":\"ab\"}", "{\"t\":\"abcd\"}", "{\"t\":\"abcdef\"}");
        int[] calls = new int[1];
        UdfFunction len = new UdfFunction() {
            public List<ValueKind> parameterKinds() { return List.of(ValueKind.STRING); }

            public ValueKind resultKind() { return ValueKind.INT; }

            public double costHintNanos() { return 40; }

            public void evaluate(UdfBatch batch) {
                calls[0]++;
                for (int i = 0; i < batch.count; i++) batch.setLong(i, batch.strings[0][i].length());
            }
        };
        CompileContext ctx = new CompileContext(null, s.schema(), (call, kinds) -> {
            assertThat(kinds).containsExactly(ValueKind.STRING);
            return len;
        });
        Expr udf = new Expr.UdfCall("wasm_udf", "m", "len", List.of(field("t")), AT);
        assertThat(run(gt(arith(ArithmeticOp.MULTIPLY, udf, lit(2)), lit(5)), s, ctx)).containsExactly("d1", "d2");
        assertThat(calls[0]).as("one call for the one batch").isEqualTo(1);
    }

    @Test
    void aUdfWithoutItsTierNamesTheMissingTier() {
        Segment s = segment("{\"t\":1}");
        Expr udf = new Expr.UdfCall("python_udf", "m", "f", List.of(), AT);
        assertThatThrownBy(() -> run(gt(udf, lit(1)), s))
                .isInstanceOf(QueryException.class)
                .hasMessageStartingWith("the python_udf tier is not installed, so python_udf('m.f', ...) cannot run")
                .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.TIER_NOT_INSTALLED);
    }

    @Test
    void unknownFunctionsAndWrongArityAreNamed() {
        Segment s = segment("{\"t\":\"x\"}");
        assertThatThrownBy(() -> run(eq(call("reverse", field("t")), lit("x")), s))
                .hasMessageStartingWith("unknown function 'reverse'; the functions are abs, ceil, concat")
                .extracting(e -> ((StrataException) e).code()).isEqualTo(ErrorCode.UNKNOWN_FUNCTION);
        assertThatThrownBy(() -> run(eq(call("lower", field("t"), field("t")), lit("x")), s))
                .hasMessageStartingWith("lower takes 1 argument, not 2");
    }
}
