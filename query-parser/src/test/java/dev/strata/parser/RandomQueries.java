package dev.strata.parser;

import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.ast.Span;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Random;

/** Generates arbitrary (not necessarily well-typed) query ASTs for printer round trips. */
public final class RandomQueries {
    private static final String[] NAMES = {"a", "price", "b_2", "date", "missing", "sku code", "and", "x`y", "_id", "ü"};
    private static final String[] STRINGS = {"", "x", "it's", "back\\slash", "tab\there", "line\nbreak", "\uD83D\uDE00"};
    private static final String[] FUNCTIONS = {"lower", "upper", "length", "abs", "concat", "starts_with"};
    private final Random random;

    public RandomQueries(long seed) { this.random = new Random(seed); }

    public Query query() {
        Expr filter = random.nextInt(10) == 0 ? null : bool(4);
        Expr score = random.nextInt(4) == 0 ? value(2) : null;
        List<Query.OrderKey> order = new ArrayList<>();
        for (int i = random.nextInt(3); i > 0; i--) order.add(new Query.OrderKey(value(2), random.nextBoolean()));
        OptionalLong limit = random.nextBoolean() ? OptionalLong.of(random.nextInt(100)) : OptionalLong.empty();
        long offset = limit.isPresent() && random.nextBoolean() ? random.nextInt(50) + 1 : 0;
        if (filter == null && score == null && order.isEmpty() && limit.isEmpty()) limit = OptionalLong.of(1);
        return new Query(filter, score, order, limit, offset);
    }

    Expr bool(int depth) {
        int pick = depth <= 0 ? 4 + random.nextInt(7) : random.nextInt(11);
        return switch (pick) {
            case 0 -> new Expr.And(bool(depth - 1), bool(depth - 1), Span.NONE);
            case 1 -> new Expr.Or(bool(depth - 1), bool(depth - 1), Span.NONE);
            case 2 -> new Expr.Not(bool(depth - 1), Span.NONE);
            case 3 -> new Expr.Comparison(ComparisonOp.values()[random.nextInt(6)], bool(depth - 1), value(depth - 1), Span.NONE);
            case 4 -> new Expr.Comparison(ComparisonOp.values()[random.nextInt(6)], value(depth - 1), value(depth - 1), Span.NONE);
            case 5 -> new Expr.Between(value(depth - 1), value(depth - 1), value(depth - 1), random.nextBoolean(), Span.NONE);
            case 6 -> new Expr.In(value(depth - 1), List.of(value(0), value(0), literal()), random.nextBoolean(), Span.NONE);
            case 7 -> new Expr.Like(value(depth - 1), new Expr.Literal(Value.of("%a_"), Span.NONE), random.nextBoolean(),
                    random.nextBoolean(), Span.NONE);
            case 8 -> new Expr.IsNull(value(depth - 1), random.nextBoolean(), Span.NONE);
            case 9 -> random.nextBoolean() ? new Expr.IsMissing(field(), random.nextBoolean(), Span.NONE)
                    : new Expr.Exists(field(), Span.NONE);
            default -> field();
        };
    }

    Expr value(int depth) {
        int pick = depth <= 0 ? 3 + random.nextInt(5) : random.nextInt(8);
        return switch (pick) {
            case 0 -> new Expr.Arithmetic(ArithmeticOp.values()[random.nextInt(5)], value(depth - 1), value(depth - 1), Span.NONE);
            // a minus before a number literal parses as a negative literal, so never generate Negate(number)
            case 1 -> new Expr.Negate(random.nextBoolean() ? field() : new Expr.Call("abs", List.of(value(depth - 1)), Span.NONE), Span.NONE);
            case 2 -> new Expr.Call(FUNCTIONS[random.nextInt(FUNCTIONS.length)], List.of(value(depth - 1)), Span.NONE);
            case 3 -> new Expr.UdfCall(random.nextBoolean() ? "wasm_udf" : "python_udf", "mod", "fn",
                    random.nextBoolean() ? List.of() : List.of(field()), Span.NONE);
            case 4 -> random.nextInt(4) == 0 ? new Expr.DocId(Span.NONE) : new Expr.Score(Span.NONE);
            case 5, 6 -> literal();
            default -> field();
        };
    }

    Expr.Field field() {
        List<FieldPath.Step> steps = new ArrayList<>();
        steps.add(new FieldPath.Key(NAMES[random.nextInt(NAMES.length)]));
        for (int i = random.nextInt(3); i > 0; i--) {
            steps.add(random.nextBoolean() ? new FieldPath.Key(NAMES[random.nextInt(NAMES.length)])
                    : new FieldPath.Index(random.nextInt(4)));
        }
        return new Expr.Field(new FieldPath(steps), Span.NONE);
    }

    Expr literal() {
        Value v = switch (random.nextInt(8)) {
            case 0 -> Value.of(random.nextLong() >> random.nextInt(64));
            case 1 -> Value.of(random.nextInt(3) == 0 ? Long.MIN_VALUE : random.nextInt(1000) - 500);
            case 2 -> Value.of(random.nextDouble() * 1e6 - 5e5);
            case 3 -> Value.of(random.nextBoolean() ? 1e-300 : -2.5e300);
            case 4 -> Value.of(STRINGS[random.nextInt(STRINGS.length)]);
            case 5 -> Value.of(random.nextBoolean());
            case 6 -> Value.NULL;
            default -> random.nextBoolean() ? new Value.DateValue(random.nextInt(40000) - 10000)
                    : new Value.TimestampValue(random.nextLong() % 4_000_000_000_000_000L);
        };
        return new Expr.Literal(v, Span.NONE);
    }
}
