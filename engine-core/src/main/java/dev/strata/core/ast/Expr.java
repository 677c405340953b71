package dev.strata.core.ast;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import java.util.List;
import java.util.Objects;

/**
 * The query AST. Immutable records; spans are metadata (see {@link Span}). Boolean connectives
 * are binary and left-nested as written, except that the parser groups a chain of more than 32
 * ANDs or ORs into a balanced tree (the same result, a shallow tree). The parser bounds the
 * tree's depth, so recursive passes over it are safe.
 */
public sealed interface Expr {
    Span span();

    /** A constant: null, bool, int, float, string, date or timestamp. */
    record Literal(Value value, Span span) implements Expr {
        public Literal {
            Objects.requireNonNull(value, "value");
        }
    }

    /** A document field. */
    record Field(FieldPath path, Span span) implements Expr {
        public Field {
            Objects.requireNonNull(path, "path");
        }
    }

    /** The pseudo-field {@code _id}. */
    record DocId(Span span) implements Expr {}

    /** The pseudo-field {@code _score}. */
    record Score(Span span) implements Expr {}

    /** Unary minus. */
    record Negate(Expr operand, Span span) implements Expr {}

    record Arithmetic(ArithmeticOp op, Expr left, Expr right, Span span) implements Expr {}

    record Comparison(ComparisonOp op, Expr left, Expr right, Span span) implements Expr {}

    record And(Expr left, Expr right, Span span) implements Expr {}

    record Or(Expr left, Expr right, Span span) implements Expr {}

    record Not(Expr operand, Span span) implements Expr {}

    record Between(Expr value, Expr low, Expr high, boolean negated, Span span) implements Expr {}

    record In(Expr value, List<Expr> items, boolean negated, Span span) implements Expr {
        public In {
            items = List.copyOf(items);
        }
    }

    record Like(Expr value, Expr pattern, boolean caseInsensitive, boolean negated, Span span) implements Expr {}

    /** {@code value IS [NOT] NULL}. */
    record IsNull(Expr value, boolean negated, Span span) implements Expr {}

    /** {@code value IS [NOT] MISSING}. */
    record IsMissing(Expr value, boolean negated, Span span) implements Expr {}

    /** {@code exists(field)}: the same as {@code field IS NOT MISSING}. */
    record Exists(Field field, Span span) implements Expr {}

    /** A built-in function such as {@code lower(title)}; the name is lower-case. */
    record Call(String function, List<Expr> args, Span span) implements Expr {
        public Call {
            args = List.copyOf(args);
        }
    }

    /**
     * An aggregate over the documents of a group: {@code COUNT(*)} ({@code argument} null),
     * {@code COUNT(x)}, {@code COUNT(DISTINCT x)}, {@code SUM}, {@code AVG}, {@code MIN}, {@code MAX}.
     * Only a SELECT item or an ORDER BY key of a grouped query may be one; the tiers refuse it
     * anywhere else.
     */
    record Aggregate(AggregateFunction function, Expr argument, boolean distinct, Span span) implements Expr {
        public Aggregate {
            Objects.requireNonNull(function, "function");
            if (argument == null && (function != AggregateFunction.COUNT || distinct)) {
                throw new IllegalArgumentException(function + " needs an argument");
            }
        }
    }

    /** {@code wasm_udf('module.function', args...)} or {@code python_udf(...)}. */
    record UdfCall(String tier, String module, String function, List<Expr> args, Span span) implements Expr {
        public UdfCall {
            args = List.copyOf(args);
        }

        public String qualifiedName() { return module + "." + function; }
    }
}
