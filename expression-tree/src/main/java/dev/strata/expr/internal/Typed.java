package dev.strata.expr.internal;

import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import dev.strata.expr.LikePattern;
import java.util.List;

/**
 * The checked, typed form of an expression: what the type checker produces once per query and
 * the binder turns into vector kernels once per segment. Every operand already has the type its
 * operator needs (casts are explicit nodes).
 */
public sealed interface Typed {
    Type type();

    /** A node the binder made itself (a shared operand); never produced by the type checker. */
    non-sealed interface Bound extends Typed {}

    /** A constant; {@code value} may be {@link Value#NULL} (a typed null, i.e. UNKNOWN for BOOL). */
    record Const(Value value, Type type) implements Typed {}

    /**
     * Reads the field's elements of the kinds that fit {@code type} (FLOAT also reads INT
     * elements, TIMESTAMP also DATE ones); other elements read as null. {@code position} picks one
     * element ({@code tags[1]}), or is -1 for every element (any-match).
     */
    record FieldRead(FieldPath path, Type type, int position) implements Typed {}

    record IdRead() implements Typed {
        public Type type() { return Type.STRING; }
    }

    /** {@code _score}, only in ORDER BY. */
    record ScoreRead() implements Typed {
        public Type type() { return Type.FLOAT; }
    }

    record Cast(Typed operand, Type type) implements Typed {}

    /** {@code where} names the expression in an overflow error. */
    record Negate(Typed operand, Type type, String where) implements Typed {}

    record Arithmetic(ArithmeticOp op, Typed left, Typed right, Type type, String where) implements Typed {}

    record Compare(ComparisonOp op, Typed left, Typed right) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    record Between(Typed value, Typed low, Typed high, boolean negated) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    /** {@code items} are non-null constants of the value's type; {@code hasNull} if the list held a null. */
    record In(Typed value, List<Value> items, boolean hasNull, boolean negated) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    record Like(Typed value, LikePattern pattern, boolean negated) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    /** IS [NOT] NULL of a field: null elements against other elements, absent is UNKNOWN. */
    record FieldIsNull(FieldPath path, int position, boolean negated) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    /** IS [NOT] NULL of a computed value: TRUE when the value is null (for any reason). */
    record ValueIsNull(Typed value, boolean negated) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    /** exists(f) / f IS NOT MISSING ({@code negated} = IS MISSING). */
    record Present(FieldPath path, int position, boolean negated) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    /**
     * One comparison per kind family, for operands that may each hold several kinds (two mixed
     * fields): on any row at most one family applies, so the row is TRUE or FALSE by that one,
     * and UNKNOWN when no family has both operands.
     */
    record Either(List<Typed> alternatives) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    record And(Typed left, Typed right) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    record Or(Typed left, Typed right) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    record Not(Typed operand) implements Typed {
        public Type type() { return Type.BOOL; }
    }

    record Call(String function, List<Typed> args, Type type, String where) implements Typed {}

    /** @param label the call as users write it, for messages: {@code wasm_udf('m.f')} */
    record Udf(UdfFunction function, String tier, String qualifiedName, List<Typed> args, Type type) implements Typed {
        /** The call as users write it, {@code wasm_udf('m.f')}, for messages. */
        String label() { return tier + "('" + qualifiedName + "')"; }
    }

    /** Whether this node is a leaf predicate: the unit of any-match over array elements. */
    static boolean isLeaf(Typed t) {
        return switch (t) {
            case Compare c -> true;
            case Between b -> true;
            case Either e -> true;
            case In i -> true;
            case Like l -> true;
            case FieldIsNull n -> true;
            case ValueIsNull n -> true;
            case FieldRead f -> true;
            case Call c -> true;
            case Udf u -> true;
            default -> false;
        };
    }

    /** A kernel's cost per row, near enough: vector kernels over primitive columns take a few nanoseconds. */
    double KERNEL_NANOS = 2;

    /** The cost per row of evaluating {@code t}: the kernels, plus each UDF call at its function's cost hint. */
    static double nanosPerRow(Typed t) {
        double cost = KERNEL_NANOS;
        java.util.ArrayDeque<Typed> open = new java.util.ArrayDeque<>(List.of(t));
        while (!open.isEmpty()) {
            Typed x = open.pop();
            if (x instanceof Udf u) cost += u.function().costHintNanos();
            open.addAll(Binder.children(x));
        }
        return cost;
    }
}
