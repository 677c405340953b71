package dev.strata.expr;

import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import java.util.List;

/** Short constructors for ASTs in tests of a module that may not use the parser. */
final class Ast {
    private Ast() {}

    static final Span AT = new Span(1, 1, 1);

    static Expr.Field field(String dotted) { return new Expr.Field(FieldPath.parseDotted(dotted), AT); }

    static Expr lit(long v) { return new Expr.Literal(Value.of(v), AT); }

    static Expr lit(double v) { return new Expr.Literal(Value.of(v), AT); }

    static Expr lit(String v) { return new Expr.Literal(Value.of(v), AT); }

    static Expr lit(Value v) { return new Expr.Literal(v, AT); }

    static Expr cmp(ComparisonOp op, Expr a, Expr b) { return new Expr.Comparison(op, a, b, AT); }

    static Expr eq(Expr a, Expr b) { return cmp(ComparisonOp.EQ, a, b); }

    static Expr gt(Expr a, Expr b) { return cmp(ComparisonOp.GT, a, b); }

    static Expr lt(Expr a, Expr b) { return cmp(ComparisonOp.LT, a, b); }

    static Expr and(Expr a, Expr b) { return new Expr.And(a, b, AT); }

    static Expr or(Expr a, Expr b) { return new Expr.Or(a, b, AT); }

    static Expr not(Expr a) { return new Expr.Not(a, AT); }

    static Expr arith(ArithmeticOp op, Expr a, Expr b) { return new Expr.Arithmetic(op, a, b, AT); }

    static Expr in(Expr v, Expr... items) { return new Expr.In(v, List.of(items), false, AT); }

    static Expr call(String f, Expr... args) { return new Expr.Call(f, List.of(args), AT); }
}
