package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.expr.Functions;
import dev.strata.expr.LikePattern;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an AST against the schema and produces {@link Typed} nodes, once per query. A type error
 * is a {@link QueryException} with the position of the offending expression. A field that holds
 * several kinds is read as the kind its context needs; its other elements read as null.
 */
public final class TypeChecker {
    private enum Family { NUMBER, STRING, BOOL, TEMPORAL }

    private final CompileContext context;
    private final boolean scoreAllowed;
    private final Map<Expr.UdfCall, UdfFunction> udfs = new IdentityHashMap<>();

    public TypeChecker(CompileContext context, boolean scoreAllowed) {
        this.context = context;
        this.scoreAllowed = scoreAllowed;
    }

    // ------------------------------------------------------------------ conditions

    public Typed condition(Expr e) {
        Typed t = switch (e) {
            case Expr.And a -> new Typed.And(condition(a.left()), condition(a.right()));
            case Expr.Or o -> new Typed.Or(condition(o.left()), condition(o.right()));
            case Expr.Not n -> new Typed.Not(condition(n.operand()));
            case Expr.Comparison c -> comparison(c);
            case Expr.Between b -> between(b);
            case Expr.In i -> in(i);
            case Expr.Like l -> like(l);
            case Expr.IsNull n -> n.value() instanceof Expr.Field f
                    ? new Typed.FieldIsNull(f.path(), position(f), n.negated())
                    : new Typed.ValueIsNull(value(n.value()), n.negated());
            case Expr.IsMissing m -> {
                if (!(m.value() instanceof Expr.Field f)) {
                    throw error(ErrorCode.TYPE_MISMATCH, "IS MISSING applies to a field, not to a computed value", m.value());
                }
                yield new Typed.Present(f.path(), position(f), !m.negated());
            }
            case Expr.Exists x -> new Typed.Present(x.field().path(), position(x.field()), false);
            default -> {
                Set<Type> types = candidates(e);
                if (types != null && !types.contains(Type.BOOL)) {
                    throw error(ErrorCode.TYPE_MISMATCH, "expected a condition, but " + describe(e, types)
                            + " is not a bool", e);
                }
                yield build(e, Type.BOOL);
            }
        };
        return fold(t);
    }

    /** A value expression for ORDER BY or SET _score; its type is whatever it naturally is. */
    public Typed value(Expr e) {
        Set<Type> types = candidates(e);
        if (types == null) return new Typed.Const(Value.NULL, Type.INT);
        if (isCondition(e)) return condition(e);
        Type t = types.size() == 1 ? types.iterator().next()
                : types.contains(Type.FLOAT) ? Type.FLOAT : types.iterator().next();
        if (types.equals(EnumSet.of(Type.INT, Type.FLOAT))) t = Type.FLOAT;
        return build(e, t);
    }

    private static boolean isCondition(Expr e) {
        return switch (e) {
            case Expr.And a -> true;
            case Expr.Or o -> true;
            case Expr.Not n -> true;
            case Expr.Comparison c -> true;
            case Expr.Between b -> true;
            case Expr.In i -> true;
            case Expr.Like l -> true;
            case Expr.IsNull n -> true;
            case Expr.IsMissing m -> true;
            case Expr.Exists x -> true;
            default -> false;
        };
    }

    private Typed comparison(Expr.Comparison c) {
        Set<Type> l = candidates(c.left());
        Set<Type> r = candidates(c.right());
        if (l == null || r == null) { // a comparison with NULL is UNKNOWN, but the other side must still be sound
            if (l != null) value(c.left());
            if (r != null) value(c.right());
            return new Typed.Const(Value.NULL, Type.BOOL);
        }
        List<Typed> alternatives = new ArrayList<>();
        for (Type t : common(c, List.of(c.left(), c.right()), List.of(l, r))) {
            alternatives.add(new Typed.Compare(c.op(), build(c.left(), t), build(c.right(), t)));
        }
        return either(alternatives);
    }

    /**
     * BETWEEN compares the value with each bound of its own kind; a bound of another kind counts as
     * null (so {@code 6 NOT BETWEEN 'x' AND 5} is TRUE, as {@code 6 NOT BETWEEN NULL AND 5} is).
     */
    private Typed between(Expr.Between b) {
        Set<Type> vt = candidates(b.value());
        Set<Type> lt = candidates(b.low());
        Set<Type> ht = candidates(b.high());
        if (lt != null) value(b.low());
        if (ht != null) value(b.high());
        if (vt == null || (lt == null && ht == null)) {
            if (vt != null) value(b.value());
            return new Typed.Const(Value.NULL, Type.BOOL);
        }
        Set<Family> bounds = EnumSet.noneOf(Family.class);
        for (int i = 0; i < 2; i++) {
            Set<Type> t = i == 0 ? lt : ht;
            if (t == null) continue;
            Set<Family> meet = families(t);
            meet.retainAll(families(vt));
            if (meet.isEmpty()) { // both kinds known and apart: a compile error, as for any comparison
                throw error(ErrorCode.TYPE_MISMATCH, "cannot compare " + describe(b.value(), vt) + " with "
                        + describe(i == 0 ? b.low() : b.high(), t), b);
            }
            bounds.addAll(meet);
        }
        Set<Family> shared = bounds;
        List<Set<Type>> all = new ArrayList<>();
        for (Set<Type> t : java.util.Arrays.asList(vt, lt, ht)) if (t != null) all.add(t);
        List<Typed> alternatives = new ArrayList<>();
        for (Family f : shared) {
            Type t = typeFor(f, all);
            alternatives.add(new Typed.Between(build(b.value(), t), bound(b.low(), lt, f, t), bound(b.high(), ht, f, t),
                    b.negated()));
        }
        return either(alternatives);
    }

    private Typed bound(Expr e, Set<Type> types, Family f, Type t) {
        return types == null || !families(types).contains(f) ? new Typed.Const(Value.NULL, t) : build(e, t);
    }

    private static Set<Family> families(Set<Type> types) {
        Set<Family> fs = EnumSet.noneOf(Family.class);
        for (Type t : types) fs.add(family(t));
        return fs;
    }

    /** The concrete type of a family for these operands: INT unless one may be a float, DATE unless one may be a timestamp. */
    private static Type typeFor(Family f, List<Set<Type>> operands) {
        boolean allInt = true;
        boolean allDate = true;
        for (Set<Type> ts : operands) {
            if (!families(ts).contains(f)) continue;
            if (ts.contains(Type.FLOAT) || !ts.contains(Type.INT)) allInt = false;
            if (ts.contains(Type.TIMESTAMP) || !ts.contains(Type.DATE)) allDate = false;
        }
        return switch (f) {
            case NUMBER -> allInt ? Type.INT : Type.FLOAT;
            case STRING -> Type.STRING;
            case BOOL -> Type.BOOL;
            case TEMPORAL -> allDate ? Type.DATE : Type.TIMESTAMP;
        };
    }

    private static Typed either(List<Typed> alternatives) {
        return alternatives.size() == 1 ? alternatives.get(0) : new Typed.Either(List.copyOf(alternatives));
    }

    private Typed in(Expr.In in) {
        Set<Type> valueTypes = candidates(in.value());
        List<Value> items = new ArrayList<>();
        boolean hasNull = false;
        List<Expr> nonNull = new ArrayList<>();
        List<Set<Type>> types = new ArrayList<>();
        for (Expr item : in.items()) {
            Typed folded = fold(build(item, naturalType(item)));
            if (!(folded instanceof Typed.Const k)) {
                throw error(ErrorCode.UNSUPPORTED, "IN list items must be constants", item);
            }
            if (k.value() instanceof Value.NullValue) {
                hasNull = true;
            } else {
                nonNull.add(item);
                types.add(EnumSet.of(k.type()));
            }
        }
        if (valueTypes == null) return new Typed.Const(Value.NULL, Type.BOOL);
        if (nonNull.isEmpty()) {
            value(in.value());
            return new Typed.Const(Value.NULL, Type.BOOL); // x IN (NULL): never TRUE, never FALSE
        }
        List<Expr> all = new ArrayList<>(nonNull);
        all.add(0, in.value());
        types.add(0, valueTypes);
        List<Type> shared = common(in, all, types);
        if (shared.size() > 1) {
            throw error(ErrorCode.TYPE_MISMATCH, "cannot tell which kind of " + describe(in.value(), valueTypes)
                    + " to compare with the IN list; write the list with one kind", in);
        }
        Type t = shared.get(0);
        for (Expr item : nonNull) items.add(((Typed.Const) fold(build(item, t))).value());
        return new Typed.In(build(in.value(), t), List.copyOf(items), hasNull, in.negated());
    }

    private Typed like(Expr.Like l) {
        Set<Type> types = candidates(l.value());
        if (types != null && !types.contains(Type.STRING)) {
            throw error(ErrorCode.TYPE_MISMATCH, "LIKE needs a string, but " + describe(l.value(), types) + " is not one", l.value());
        }
        Typed pattern = fold(build(l.pattern(), Type.STRING));
        if (!(pattern instanceof Typed.Const p)) {
            throw error(ErrorCode.UNSUPPORTED, "the LIKE pattern must be a constant string", l.pattern());
        }
        if (types == null || p.value() instanceof Value.NullValue) return new Typed.Const(Value.NULL, Type.BOOL);
        String text = ((Value.StringValue) p.value()).value();
        return new Typed.Like(build(l.value(), Type.STRING), new LikePattern(text, l.caseInsensitive()), l.negated());
    }

    // ------------------------------------------------------------------ typing

    private static Family family(Type t) {
        return switch (t) {
            case INT, FLOAT -> Family.NUMBER;
            case STRING -> Family.STRING;
            case BOOL -> Family.BOOL;
            case DATE, TIMESTAMP -> Family.TEMPORAL;
        };
    }

    /**
     * The types the operands are read as: one per kind family they can share (more than one only
     * when every operand may hold several kinds), or a positioned error when they cannot meet.
     */
    private List<Type> common(Expr where, List<Expr> operands, List<Set<Type>> types) {
        Set<Family> shared = EnumSet.allOf(Family.class);
        for (Set<Type> ts : types) shared.retainAll(families(ts));
        if (shared.isEmpty()) {
            StringBuilder what = new StringBuilder();
            for (int i = 0; i < operands.size(); i++) {
                if (i > 0) what.append(i == operands.size() - 1 ? " with " : ", ");
                what.append(describe(operands.get(i), types.get(i)));
            }
            throw error(ErrorCode.TYPE_MISMATCH, "cannot compare " + what, where);
        }
        List<Type> out = new ArrayList<>();
        for (Family f : shared) out.add(typeFor(f, types));
        return out;
    }

    private Type naturalType(Expr e) {
        Set<Type> ts = candidates(e);
        if (ts == null) return Type.INT;
        if (ts.size() == 1) return ts.iterator().next();
        if (ts.contains(Type.FLOAT)) return Type.FLOAT;
        return ts.iterator().next();
    }

    /** What an expression can evaluate to; null for the NULL literal (it fits anything). */
    private Set<Type> candidates(Expr e) {
        return switch (e) {
            case Expr.Literal l -> l.value() instanceof Value.NullValue ? null : EnumSet.of(Type.of(l.value().kind()));
            case Expr.Field f -> fieldTypes(f);
            case Expr.DocId d -> EnumSet.of(Type.STRING);
            case Expr.Score s -> {
                if (!scoreAllowed) {
                    throw error(ErrorCode.UNSUPPORTED, "_score is only known after filtering; use it in ORDER BY", e);
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
            case Expr.UdfCall u -> {
                Type t = Type.of(udf(u).resultKind());
                if (t == null) throw error(ErrorCode.WRONG_ARGUMENTS, u.tier() + " function '" + u.qualifiedName()
                        + "' returns a " + udf(u).resultKind().display() + ", which Strata cannot use", u);
                yield EnumSet.of(t);
            }
            default -> EnumSet.of(Type.BOOL);
        };
    }

    private Set<Type> numeric(Expr operand, String op) {
        Set<Type> t = candidates(operand);
        if (t == null) return EnumSet.of(Type.INT, Type.FLOAT);
        Set<Type> n = EnumSet.noneOf(Type.class);
        for (Type x : t) if (family(x) == Family.NUMBER) n.add(x);
        if (n.isEmpty()) {
            throw error(ErrorCode.TYPE_MISMATCH, "'" + op + "' needs numbers, but " + describe(operand, t) + " is not a number", operand);
        }
        return n;
    }

    private Set<Type> fieldTypes(Expr.Field f) {
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
    private int position(Expr.Field f) {
        List<FieldPath.Step> steps = f.path().steps();
        int indexes = 0;
        for (FieldPath.Step s : steps) if (s instanceof FieldPath.Index) indexes++;
        if (indexes == 0) return -1;
        if (indexes == 1 && steps.get(steps.size() - 1) instanceof FieldPath.Index i) return i.position();
        throw error(ErrorCode.UNSUPPORTED, "an array position is supported only at the end of a path (tags[0]); "
                + "for any element of an array of objects write items.sku", f);
    }

    private Type callType(Expr.Call c) {
        Builtin sig = Builtin.of(c.function());
        if (sig == null) {
            throw error(ErrorCode.UNKNOWN_FUNCTION, "unknown function '" + c.function() + "'; the functions are "
                    + String.join(", ", new java.util.TreeSet<>(Functions.ALL.keySet()))
                    + ", exists, wasm_udf and python_udf", c);
        }
        boolean variadic = sig.args().get(sig.args().size() - 1).equals("...");
        int fixed = variadic ? sig.args().size() - 1 : sig.args().size();
        if (variadic ? c.args().size() < fixed : c.args().size() != fixed) {
            throw error(ErrorCode.WRONG_ARGUMENTS, c.function() + " takes " + (variadic ? "at least " : "") + fixed
                    + " argument" + (fixed == 1 ? "" : "s") + ", not " + c.args().size(), c);
        }
        Type numberType = Type.INT;
        for (int i = 0; i < c.args().size(); i++) {
            String want = sig.args().get(Math.min(i, fixed - 1));
            Expr arg = c.args().get(i);
            Set<Type> t = candidates(arg);
            if (t == null) continue;
            if (want.equals("string") && !t.contains(Type.STRING)) {
                throw error(ErrorCode.TYPE_MISMATCH, c.function() + " needs a string, but " + describe(arg, t)
                        + " is not one", arg);
            }
            if (want.equals("number")) {
                Set<Type> n = numeric(arg, c.function());
                if (n.contains(Type.FLOAT)) numberType = Type.FLOAT;
            }
        }
        return switch (sig.result()) {
            case "string" -> Type.STRING;
            case "int" -> Type.INT;
            case "bool" -> Type.BOOL;
            case "float" -> Type.FLOAT;
            default -> numberType; // "same"
        };
    }

    private UdfFunction udf(Expr.UdfCall u) {
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
                throw error(ex.code(), ex.getMessage(), u);
            }
            List<ValueKind> params = f.parameterKinds();
            if (params.size() != u.args().size()) {
                throw error(ErrorCode.WRONG_ARGUMENTS, u.tier() + "('" + u.qualifiedName() + "') takes " + params.size()
                        + " argument" + (params.size() == 1 ? "" : "s") + ", not " + u.args().size(), u);
            }
            for (int i = 0; i < params.size(); i++) {
                Type want = Type.of(params.get(i));
                Set<Type> have = candidates(u.args().get(i));
                if (want == null) throw new IllegalStateException(u.tier() + " declared a " + params.get(i) + " parameter");
                if (have != null && !have.contains(want) && !(want == Type.FLOAT && have.contains(Type.INT))
                        && !(want == Type.TIMESTAMP && have.contains(Type.DATE))) {
                    throw error(ErrorCode.TYPE_MISMATCH, "argument " + (i + 1) + " of " + u.tier() + "('" + u.qualifiedName()
                            + "') must be a " + want.display() + ", but " + describe(u.args().get(i), have) + " is not", u.args().get(i));
                }
            }
            udfs.put(u, f);
        }
        return f;
    }

    private static ValueKind kindOf(Type t) {
        return switch (t) {
            case BOOL -> ValueKind.BOOL;
            case INT -> ValueKind.INT;
            case FLOAT -> ValueKind.FLOAT;
            case STRING -> ValueKind.STRING;
            case DATE -> ValueKind.DATE;
            case TIMESTAMP -> ValueKind.TIMESTAMP;
        };
    }

    /** Builds {@code e} so that it produces {@code target}, inserting casts; the types were checked. */
    private Typed build(Expr e, Type target) {
        Typed t = switch (e) {
            case Expr.Literal l -> literal(l, target);
            case Expr.Field f -> {
                Set<Type> types = fieldTypes(f);
                if (target == Type.FLOAT && !types.contains(Type.FLOAT) && types.contains(Type.INT)) {
                    yield new Typed.Cast(new Typed.FieldRead(f.path().withoutPositions(), Type.INT, position(f)), Type.FLOAT);
                }
                yield new Typed.FieldRead(f.path().withoutPositions(), target, position(f));
            }
            case Expr.DocId d -> new Typed.IdRead();
            case Expr.Score s -> new Typed.ScoreRead();
            case Expr.Negate n -> {
                Type own = candidates(n).iterator().next();
                Typed neg = new Typed.Negate(build(n.operand(), own), own, where(n));
                yield cast(neg, target);
            }
            case Expr.Arithmetic a -> {
                Type own = candidates(a).iterator().next();
                Typed op = new Typed.Arithmetic(a.op(), build(a.left(), own), build(a.right(), own), own, where(a));
                yield cast(op, target);
            }
            case Expr.Call c -> {
                Type own = callType(c);
                Builtin sig = Builtin.of(c.function());
                List<Typed> args = new ArrayList<>();
                for (int i = 0; i < c.args().size(); i++) {
                    String want = sig.args().get(Math.min(i, sig.args().size() - 1));
                    if (want.equals("...")) want = sig.args().get(sig.args().size() - 2);
                    Type argType = want.equals("string") ? Type.STRING
                            : sig.result().equals("same") ? own : Type.FLOAT;
                    args.add(build(c.args().get(i), argType));
                }
                yield cast(new Typed.Call(c.function(), args, own, where(c)), target);
            }
            case Expr.UdfCall u -> {
                UdfFunction f = udf(u);
                List<Typed> args = new ArrayList<>();
                for (int i = 0; i < u.args().size(); i++) args.add(argument(u.args().get(i), Type.of(f.parameterKinds().get(i))));
                yield cast(new Typed.Udf(f, u.tier(), u.qualifiedName(), args, Type.of(f.resultKind())), target);
            }
            default -> cast(condition(e), target);
        };
        return fold(t);
    }

    /** A UDF argument converted to its parameter's type (checked in {@link #udf}); a null literal stays null. */
    private Typed argument(Expr a, Type want) {
        Set<Type> have = candidates(a);
        if (have == null) return new Typed.Const(Value.NULL, want);
        if (want == Type.BOOL) return condition(a);
        if (have.contains(want)) return build(a, want);
        return cast(build(a, want == Type.FLOAT ? Type.INT : Type.DATE), want);
    }

    private Typed literal(Expr.Literal l, Type target) {
        Value v = l.value();
        if (v instanceof Value.NullValue) return new Typed.Const(v, target);
        if (v instanceof Value.IntValue i && target == Type.FLOAT) return new Typed.Const(Value.of((double) i.value()), target);
        if (v instanceof Value.DateValue d && target == Type.TIMESTAMP) {
            return new Typed.Const(new Value.TimestampValue(Temporal.dateToMicros(d.epochDay())), target);
        }
        return new Typed.Const(v, Type.of(v.kind()));
    }

    private Typed cast(Typed t, Type target) {
        if (t.type() == target) return t;
        if (t.type() == Type.INT && target == Type.FLOAT) return new Typed.Cast(t, target);
        if (t.type() == Type.DATE && target == Type.TIMESTAMP) return new Typed.Cast(t, target);
        throw new IllegalStateException("no cast from " + t.type() + " to " + target);
    }

    // ------------------------------------------------------------------ folding

    /** Replaces a subtree that reads nothing from documents by its value, computed by the same kernels. */
    private Typed fold(Typed t) {
        if (t instanceof Typed.Const || !isConstant(t)) return t;
        Value v = ConstantFolder.evaluate(t);
        return new Typed.Const(v, t.type());
    }

    private static boolean isConstant(Typed t) {
        return switch (t) {
            case Typed.Const c -> true;
            case Typed.FieldRead f -> false;
            case Typed.IdRead i -> false;
            case Typed.ScoreRead s -> false;
            case Typed.FieldIsNull n -> false;
            case Typed.Present p -> false;
            case Typed.Udf u -> false;
            case Typed.Bound b -> false;
            case Typed.Cast c -> isConstant(c.operand());
            case Typed.Negate n -> isConstant(n.operand());
            case Typed.Arithmetic a -> isConstant(a.left()) && isConstant(a.right());
            case Typed.Compare c -> isConstant(c.left()) && isConstant(c.right());
            case Typed.Between b -> isConstant(b.value()) && isConstant(b.low()) && isConstant(b.high());
            case Typed.Either e -> e.alternatives().stream().allMatch(TypeChecker::isConstant);
            case Typed.In i -> isConstant(i.value());
            case Typed.Like l -> isConstant(l.value());
            case Typed.ValueIsNull n -> isConstant(n.value());
            case Typed.And a -> isConstant(a.left()) && isConstant(a.right());
            case Typed.Or o -> isConstant(o.left()) && isConstant(o.right());
            case Typed.Not n -> isConstant(n.operand());
            case Typed.Call c -> c.args().stream().allMatch(TypeChecker::isConstant);
        };
    }

    // ------------------------------------------------------------------ messages

    private String where(Expr e) {
        String text = context.queryText();
        Span s = e.span();
        String at = s == null || s.line() == 0 ? "" : " at line " + s.line() + ", column " + s.column();
        if (text == null || s == null || s.line() != 1) return "an expression" + at;
        int from = text.offsetByCodePoints(0, Math.min(s.column() - 1, text.codePointCount(0, text.length())));
        int to = Math.min(text.length(), from + s.length());
        return "'" + text.substring(from, to) + "'" + at;
    }

    private static String describe(Expr e, Set<Type> types) {
        String kinds = types == null ? "null" : types.size() == Type.values().length ? "of any type"
                : String.join(" or ", types.stream().map(Type::display).toList());
        return switch (e) {
            case Expr.Field f -> "field " + f.path() + " (" + kinds + ")";
            case Expr.Literal l -> (l.value() instanceof Value.StringValue s ? "'" + s.value() + "'"
                    : dev.strata.core.value.Json.write(l.value())) + " (" + kinds + ")";
            default -> "a " + kinds + " expression";
        };
    }

    private QueryException error(ErrorCode code, String reason, Expr at) {
        Span s = at.span() == null || at.span().line() == 0 ? new Span(1, 1, 1) : at.span();
        return new QueryException(code, reason, context.queryText(), s);
    }
}
