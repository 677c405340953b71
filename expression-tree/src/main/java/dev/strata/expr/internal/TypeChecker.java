package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.Value;
import dev.strata.expr.LikePattern;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an AST against the schema and produces {@link Typed} nodes, once per query: the typed
 * tree is built here, what each expression can be comes from {@link TypeInference} (which also
 * binds function calls), and messages from {@link TypeMessages}. A type error
 * is a {@link QueryException} with the position of the offending expression. A field that holds
 * several kinds is read as the kind its context needs; its other elements read as null.
 */
public final class TypeChecker {
    private final TypeMessages messages;
    private final TypeInference infer;

    public TypeChecker(CompileContext context, boolean scoreAllowed) {
        this.messages = new TypeMessages(context);
        this.infer = new TypeInference(context, scoreAllowed, messages);
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
                    ? new Typed.FieldIsNull(f.path(), infer.position(f), n.negated())
                    : new Typed.ValueIsNull(value(n.value()), n.negated());
            case Expr.IsMissing m -> {
                if (!(m.value() instanceof Expr.Field f)) {
                    throw messages.error(ErrorCode.TYPE_MISMATCH, "IS MISSING applies to a field, not to a computed value", m.value());
                }
                yield new Typed.Present(f.path(), infer.position(f), !m.negated());
            }
            case Expr.Exists x -> new Typed.Present(x.field().path(), infer.position(x.field()), false);
            default -> {
                Set<Type> types = infer.candidates(e);
                if (types != null && !types.contains(Type.BOOL)) {
                    throw messages.error(ErrorCode.TYPE_MISMATCH, "expected a condition, but " + TypeMessages.describe(e, types)
                            + " is not a bool", e);
                }
                yield build(e, Type.BOOL);
            }
        };
        return fold(t);
    }

    /** A value expression for ORDER BY or SET _score; its type is whatever it naturally is. */
    public Typed value(Expr e) {
        Set<Type> types = infer.candidates(e);
        if (types == null) return new Typed.Const(Value.NULL, Type.INT);
        if (isCondition(e)) return condition(e);
        Type t = types.size() == 1 ? types.iterator().next()
                : types.contains(Type.FLOAT) ? Type.FLOAT : types.iterator().next();
        if (types.equals(EnumSet.of(Type.INT, Type.FLOAT))) t = Type.FLOAT;
        return build(e, t);
    }

    /** A SET _score expression: a value that can be a number (null and missing give no score). */
    public Typed score(Expr e) {
        Set<Type> types = infer.candidates(e);
        if (types != null && !types.contains(Type.INT) && !types.contains(Type.FLOAT)) {
            throw messages.error(ErrorCode.TYPE_MISMATCH, "SET _score needs a number, but " + TypeMessages.describe(e, types)
                    + " is not one", e);
        }
        if (types != null && !types.equals(EnumSet.of(Type.INT)) && !types.equals(EnumSet.of(Type.FLOAT))) {
            return build(e, Type.FLOAT); // a field of several kinds: its numbers, the rest no score
        }
        return value(e);
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
        Set<Type> l = infer.candidates(c.left());
        Set<Type> r = infer.candidates(c.right());
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
        Set<Type> vt = infer.candidates(b.value());
        Set<Type> lt = infer.candidates(b.low());
        Set<Type> ht = infer.candidates(b.high());
        if (lt != null) value(b.low());
        if (ht != null) value(b.high());
        if (vt == null || (lt == null && ht == null)) {
            if (vt != null) value(b.value());
            return new Typed.Const(Value.NULL, Type.BOOL);
        }
        Set<TypeInference.Family> bounds = EnumSet.noneOf(TypeInference.Family.class);
        for (int i = 0; i < 2; i++) {
            Set<Type> t = i == 0 ? lt : ht;
            if (t == null) continue;
            Set<TypeInference.Family> meet = families(t);
            meet.retainAll(families(vt));
            if (meet.isEmpty()) { // both kinds known and apart: a compile error, as for any comparison
                throw messages.error(ErrorCode.TYPE_MISMATCH, "cannot compare " + TypeMessages.describe(b.value(), vt) + " with "
                        + TypeMessages.describe(i == 0 ? b.low() : b.high(), t), b);
            }
            bounds.addAll(meet);
        }
        Set<TypeInference.Family> shared = bounds;
        List<Set<Type>> all = new ArrayList<>();
        for (Set<Type> t : java.util.Arrays.asList(vt, lt, ht)) if (t != null) all.add(t);
        List<Typed> alternatives = new ArrayList<>();
        for (TypeInference.Family f : shared) {
            Type t = typeFor(f, all);
            alternatives.add(new Typed.Between(build(b.value(), t), bound(b.low(), lt, f, t), bound(b.high(), ht, f, t),
                    b.negated()));
        }
        return either(alternatives);
    }

    private Typed bound(Expr e, Set<Type> types, TypeInference.Family f, Type t) {
        return types == null || !families(types).contains(f) ? new Typed.Const(Value.NULL, t) : build(e, t);
    }

    private static Set<TypeInference.Family> families(Set<Type> types) {
        Set<TypeInference.Family> fs = EnumSet.noneOf(TypeInference.Family.class);
        for (Type t : types) fs.add(TypeInference.family(t));
        return fs;
    }

    /** The concrete type of a family for these operands: INT unless one may be a float, DATE unless one may be a timestamp. */
    private static Type typeFor(TypeInference.Family f, List<Set<Type>> operands) {
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
        Set<Type> valueTypes = infer.candidates(in.value());
        List<Value> items = new ArrayList<>();
        boolean hasNull = false;
        List<Expr> nonNull = new ArrayList<>();
        List<Set<Type>> types = new ArrayList<>();
        for (Expr item : in.items()) {
            Typed folded = fold(build(item, infer.naturalType(item)));
            if (!(folded instanceof Typed.Const k)) {
                throw messages.error(ErrorCode.UNSUPPORTED, "IN list items must be constants", item);
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
            throw messages.error(ErrorCode.TYPE_MISMATCH, "cannot tell which kind of " + TypeMessages.describe(in.value(), valueTypes)
                    + " to compare with the IN list; write the list with one kind", in);
        }
        Type t = shared.get(0);
        for (Expr item : nonNull) items.add(((Typed.Const) fold(build(item, t))).value());
        return new Typed.In(build(in.value(), t), List.copyOf(items), hasNull, in.negated());
    }

    private Typed like(Expr.Like l) {
        Set<Type> types = infer.candidates(l.value());
        if (types != null && !types.contains(Type.STRING)) {
            throw messages.error(ErrorCode.TYPE_MISMATCH, "LIKE needs a string, but " + TypeMessages.describe(l.value(), types) + " is not one", l.value());
        }
        Typed pattern = fold(build(l.pattern(), Type.STRING));
        if (!(pattern instanceof Typed.Const p)) {
            throw messages.error(ErrorCode.UNSUPPORTED, "the LIKE pattern must be a constant string", l.pattern());
        }
        if (types == null || p.value() instanceof Value.NullValue) return new Typed.Const(Value.NULL, Type.BOOL);
        String text = ((Value.StringValue) p.value()).value();
        return new Typed.Like(build(l.value(), Type.STRING), new LikePattern(text, l.caseInsensitive()), l.negated());
    }

    // ------------------------------------------------------------------ typing

    /**
     * The types the operands are read as: one per kind family they can share (more than one only
     * when every operand may hold several kinds), or a positioned error when they cannot meet.
     */
    private List<Type> common(Expr where, List<Expr> operands, List<Set<Type>> types) {
        Set<TypeInference.Family> shared = EnumSet.allOf(TypeInference.Family.class);
        for (Set<Type> ts : types) shared.retainAll(families(ts));
        if (shared.isEmpty()) {
            StringBuilder what = new StringBuilder();
            for (int i = 0; i < operands.size(); i++) {
                if (i > 0) what.append(i == operands.size() - 1 ? " with " : ", ");
                what.append(TypeMessages.describe(operands.get(i), types.get(i)));
            }
            throw messages.error(ErrorCode.TYPE_MISMATCH, "cannot compare " + what, where);
        }
        List<Type> out = new ArrayList<>();
        for (TypeInference.Family f : shared) out.add(typeFor(f, types));
        return out;
    }

    /** Builds {@code e} so that it produces {@code target}, inserting casts; the types were checked. */
    private Typed build(Expr e, Type target) {
        Typed t = switch (e) {
            case Expr.Literal l -> literal(l, target);
            case Expr.Field f -> {
                Set<Type> types = infer.fieldTypes(f);
                if (target == Type.FLOAT && !types.contains(Type.FLOAT) && types.contains(Type.INT)) {
                    yield new Typed.Cast(new Typed.FieldRead(f.path().withoutPositions(), Type.INT, infer.position(f)), Type.FLOAT);
                }
                yield new Typed.FieldRead(f.path().withoutPositions(), target, infer.position(f));
            }
            case Expr.DocId d -> new Typed.IdRead();
            case Expr.Score s -> new Typed.ScoreRead();
            case Expr.Negate n -> {
                Type own = infer.candidates(n).iterator().next();
                Typed neg = new Typed.Negate(build(n.operand(), own), own, messages.where(n));
                yield cast(neg, target);
            }
            case Expr.Arithmetic a -> {
                Type own = infer.candidates(a).iterator().next();
                Typed op = new Typed.Arithmetic(a.op(), build(a.left(), own), build(a.right(), own), own, messages.where(a));
                yield cast(op, target);
            }
            case Expr.Call c -> {
                Type own = infer.callType(c);
                Builtin sig = Builtin.of(c.function());
                List<Typed> args = new ArrayList<>();
                for (int i = 0; i < c.args().size(); i++) {
                    String want = sig.args().get(Math.min(i, sig.args().size() - 1));
                    if (want.equals("...")) want = sig.args().get(sig.args().size() - 2);
                    Type argType = want.equals("string") ? Type.STRING
                            : want.equals("temporal") || sig.result().equals("same") ? own : Type.FLOAT;
                    args.add(build(c.args().get(i), argType));
                }
                yield cast(new Typed.Call(c.function(), args, own, messages.where(c)), target);
            }
            case Expr.Aggregate a -> throw new IllegalStateException("an aggregate passed type inference: " + a);
            case Expr.UdfCall u -> {
                UdfFunction f = infer.udf(u);
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
        Set<Type> have = infer.candidates(a);
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

}
