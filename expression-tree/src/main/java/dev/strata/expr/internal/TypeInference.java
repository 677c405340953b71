package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.expr.Functions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an expression can evaluate to, from the schema and the function signatures, and the
 * binding of function calls: built-ins against their table ({@link Builtin}), UDF calls against
 * their tier through the compile context's resolver, once per call site (the result is kept, so a
 * plan resolves each call site exactly once).
 */
final class TypeInference {
    enum Family { NUMBER, STRING, BOOL, TEMPORAL }

    private final CompileContext context;
    private final boolean scoreAllowed;
    private final TypeMessages messages;
    private final Map<Expr.UdfCall, UdfFunction> udfs = new IdentityHashMap<>();

    TypeInference(CompileContext context, boolean scoreAllowed, TypeMessages messages) {
        this.context = context;
        this.scoreAllowed = scoreAllowed;
        this.messages = messages;
    }

    static Family family(Type t) {
        return switch (t) {
            case INT, FLOAT -> Family.NUMBER;
            case STRING -> Family.STRING;
            case BOOL -> Family.BOOL;
            case DATE, TIMESTAMP -> Family.TEMPORAL;
        };
    }

    Type naturalType(Expr e) {
        Set<Type> ts = candidates(e);
        if (ts == null) return Type.INT;
        if (ts.size() == 1) return ts.iterator().next();
        if (ts.contains(Type.FLOAT)) return Type.FLOAT;
        return ts.iterator().next();
    }

    /** What an expression can evaluate to; null for the NULL literal (it fits anything). */
    Set<Type> candidates(Expr e) {
        return switch (e) {
            case Expr.Literal l -> l.value() instanceof Value.NullValue ? null : EnumSet.of(Type.of(l.value().kind()));
            case Expr.Field f -> fieldTypes(f);
            case Expr.DocId d -> EnumSet.of(Type.STRING);
            case Expr.Score s -> {
                if (!scoreAllowed) {
                    throw messages.error(ErrorCode.UNSUPPORTED, "_score is only known after filtering; use it in ORDER BY", e);
                }
                yield EnumSet.of(Type.FLOAT);
            }
            case Expr.Negate n -> EnumSet.of(numeric(n.operand(), "-").contains(Type.FLOAT) ? Type.FLOAT : Type.INT);
            case Expr.Arithmetic a -> {
                Set<Type> l = numeric(a.left(), a.op().symbol());
                Set<Type> r = numeric(a.right(), a.op().symbol());
                boolean intOnly = l.equals(EnumSet.of(Type.INT)) && r.equals(EnumSet.of(Type.INT)) && a.op() != ArithmeticOp.DIVIDE;
                yield EnumSet.of(intOnly ? Type.INT : Type.FLOAT);
            }
            case Expr.Call c -> EnumSet.of(callType(c));
            case Expr.Aggregate a -> throw messages.error(ErrorCode.UNSUPPORTED, a.function().sql() + " is an aggregate: it may be"
                    + " a SELECT item or an ORDER BY key of a grouped query, not inside a condition or another expression", a);
            case Expr.UdfCall u -> {
                Type t = Type.of(udf(u).resultKind());
                if (t == null) throw messages.error(ErrorCode.WRONG_ARGUMENTS, u.tier() + " function '" + u.qualifiedName()
                        + "' returns a " + udf(u).resultKind().display() + ", which Strata cannot use", u);
                yield EnumSet.of(t);
            }
            default -> EnumSet.of(Type.BOOL);
        };
    }

    Set<Type> numeric(Expr operand, String op) {
        Set<Type> t = candidates(operand);
        if (t == null) return EnumSet.of(Type.INT, Type.FLOAT);
        Set<Type> n = EnumSet.noneOf(Type.class);
        for (Type x : t) if (family(x) == Family.NUMBER) n.add(x);
        if (n.isEmpty()) {
            throw messages.error(ErrorCode.TYPE_MISMATCH, "'" + op + "' needs numbers, but " + TypeMessages.describe(operand, t) + " is not a number", operand);
        }
        return n;
    }

    Set<Type> fieldTypes(Expr.Field f) {
        position(f);
        Set<ValueKind> kinds = context.schema().kindsOf(f.path().withoutPositions());
        Set<Type> types = EnumSet.noneOf(Type.class);
        for (ValueKind k : kinds) {
            Type t = Type.of(k);
            if (t != null) types.add(t);
        }
        if (types.contains(Type.DATE)) types.add(Type.TIMESTAMP);
        // never seen, or only nulls, objects and empty arrays: it may be compared with anything
        return types.isEmpty() ? EnumSet.allOf(Type.class) : types;
    }

    /** The array position of a path ending in one [n], -1 for none; other shapes are refused. */
    int position(Expr.Field f) {
        List<FieldPath.Step> steps = f.path().steps();
        int indexes = 0;
        for (FieldPath.Step s : steps) if (s instanceof FieldPath.Index) indexes++;
        if (indexes == 0) return -1;
        if (indexes == 1 && steps.get(steps.size() - 1) instanceof FieldPath.Index i) return i.position();
        throw messages.error(ErrorCode.UNSUPPORTED, "an array position is supported only at the end of a path (tags[0]); "
                + "for any element of an array of objects write items.sku", f);
    }

    Type callType(Expr.Call c) {
        Builtin sig = Builtin.of(c.function());
        if (sig == null) {
            throw messages.error(ErrorCode.UNKNOWN_FUNCTION, "unknown function '" + c.function() + "'; the functions are "
                    + String.join(", ", new java.util.TreeSet<>(Functions.ALL.keySet()))
                    + ", exists, wasm_udf and python_udf", c);
        }
        boolean variadic = sig.args().get(sig.args().size() - 1).equals("...");
        int fixed = variadic ? sig.args().size() - 1 : sig.args().size();
        if (variadic ? c.args().size() < fixed : c.args().size() != fixed) {
            throw messages.error(ErrorCode.WRONG_ARGUMENTS, c.function() + " takes " + (variadic ? "at least " : "") + fixed
                    + " argument" + (fixed == 1 ? "" : "s") + ", not " + c.args().size(), c);
        }
        Type numberType = Type.INT;
        Type temporalType = Type.DATE;
        for (int i = 0; i < c.args().size(); i++) {
            String want = sig.args().get(Math.min(i, fixed - 1));
            Expr arg = c.args().get(i);
            Set<Type> t = candidates(arg);
            if (t == null) continue;
            if (want.equals("string") && !t.contains(Type.STRING)) {
                throw messages.error(ErrorCode.TYPE_MISMATCH, c.function() + " needs a string, but " + TypeMessages.describe(arg, t)
                        + " is not one", arg);
            }
            if (want.equals("number")) {
                Set<Type> n = numeric(arg, c.function());
                if (n.contains(Type.FLOAT)) numberType = Type.FLOAT;
            }
            if (want.equals("temporal")) {
                if (!t.contains(Type.DATE) && !t.contains(Type.TIMESTAMP)) {
                    throw messages.error(ErrorCode.TYPE_MISMATCH, c.function() + " needs a date or timestamp, but "
                            + TypeMessages.describe(arg, t) + " is neither", arg);
                }
                temporalType = t.contains(Type.DATE) ? Type.DATE : Type.TIMESTAMP;
            }
        }
        checkConstantArguments(c);
        return switch (sig.result()) {
            case "string" -> Type.STRING;
            case "int" -> Type.INT;
            case "bool" -> Type.BOOL;
            case "float" -> Type.FLOAT;
            case "temporal" -> temporalType;
            default -> numberType; // "same"
        };
    }

    /** A histogram's interval or unit written as a constant is checked here, with its position, not per row. */
    private void checkConstantArguments(Expr.Call c) {
        if (c.args().size() != 2 || !(c.args().get(1) instanceof Expr.Literal l)) return;
        try {
            if (c.function().equals("histogram") && l.value() instanceof Value.IntValue i) Buckets.bucket(0, i.value(), "histogram");
            if (c.function().equals("histogram") && l.value() instanceof Value.FloatValue f) Buckets.bucket(0.0, f.value());
            if (c.function().equals("date_histogram") && l.value() instanceof Value.StringValue u && Buckets.unit(u.value()) == null) {
                throw Buckets.badUnit(u.value());
            }
        } catch (dev.strata.core.StrataException e) {
            throw messages.error(ErrorCode.WRONG_ARGUMENTS, e.getMessage(), l);
        }
    }

    UdfFunction udf(Expr.UdfCall u) {
        UdfFunction f = udfs.get(u);
        if (f == null) {
            List<ValueKind> kinds = new ArrayList<>();
            for (Expr a : u.args()) {
                Set<Type> t = candidates(a);
                kinds.add(t == null ? ValueKind.NULL : t.size() == 1 ? kindOf(t.iterator().next()) : null);
            }
            try {
                f = context.udfs().resolve(u, kinds);
            } catch (QueryException ex) {
                throw ex;
            } catch (dev.strata.core.StrataException ex) {
                throw messages.error(ex.code(), ex.getMessage(), u);
            }
            List<ValueKind> params = f.parameterKinds();
            if (params.size() != u.args().size()) {
                throw messages.error(ErrorCode.WRONG_ARGUMENTS, u.tier() + "('" + u.qualifiedName() + "') takes " + params.size()
                        + " argument" + (params.size() == 1 ? "" : "s") + ", not " + u.args().size(), u);
            }
            for (int i = 0; i < params.size(); i++) {
                Type want = Type.of(params.get(i));
                Set<Type> have = candidates(u.args().get(i));
                if (want == null) throw new IllegalStateException(u.tier() + " declared a " + params.get(i) + " parameter");
                if (have != null && !have.contains(want) && !(want == Type.FLOAT && have.contains(Type.INT))
                        && !(want == Type.TIMESTAMP && have.contains(Type.DATE))) {
                    throw messages.error(ErrorCode.TYPE_MISMATCH, "argument " + (i + 1) + " of " + u.tier() + "('" + u.qualifiedName()
                            + "') must be a " + want.display() + ", but " + TypeMessages.describe(u.args().get(i), have) + " is not", u.args().get(i));
                }
            }
            udfs.put(u, f);
        }
        return f;
    }

    static ValueKind kindOf(Type t) {
        return switch (t) {
            case BOOL -> ValueKind.BOOL;
            case INT -> ValueKind.INT;
            case FLOAT -> ValueKind.FLOAT;
            case STRING -> ValueKind.STRING;
            case DATE -> ValueKind.DATE;
            case TIMESTAMP -> ValueKind.TIMESTAMP;
        };
    }
}
