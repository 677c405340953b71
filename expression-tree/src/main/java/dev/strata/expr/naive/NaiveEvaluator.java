package dev.strata.expr.naive;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.value.CodePoints;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.Value;
import dev.strata.expr.internal.Builtin;
import dev.strata.expr.LikePattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The test oracle: walks the AST over one JSON document at a time, with map lookups and boxed
 * values everywhere. Slow on purpose and written apart from the compiled tier, so that the two can
 * be compared on generated queries. Never used to answer a query.
 *
 * <p>It implements the semantics of README.md's table: three-valued logic; a leaf predicate
 * (comparison, BETWEEN, IN, LIKE, IS NULL, a bool field or function) is evaluated for every
 * combination of the elements of the array fields it names, and is TRUE if one combination is,
 * FALSE if all are (or there are none: an empty array), UNKNOWN otherwise.
 */
public final class NaiveEvaluator {
    private NaiveEvaluator() {}

    public enum Tri {
        TRUE, FALSE, UNKNOWN;

        static Tri of(boolean b) { return b ? TRUE : FALSE; }

        Tri not() { return this == TRUE ? FALSE : this == FALSE ? TRUE : UNKNOWN; }
    }

    /** Marks an absent key (distinct from JSON null) inside the evaluator. */
    private static final Value MISSING = new Value.StringValue("\u0000missing");

    private record Env(Value.ObjectValue doc, String id, Map<String, Value> bindings) {}

    /** Whether the document matches {@code filter} (null matches everything). */
    public static boolean matches(Expr filter, String id, Value.ObjectValue doc) {
        return filter == null || truth(filter, new Env(doc, id, Map.of())) == Tri.TRUE;
    }

    public static Tri truth(Expr filter, String id, Value.ObjectValue doc) {
        return truth(filter, new Env(doc, id, Map.of()));
    }

    /** The value of an expression outside any predicate: an array field gives its first element. Null = missing. */
    public static Value value(Expr e, String id, Value.ObjectValue doc) {
        Value v = value(e, new Env(doc, id, Map.of()));
        return v == MISSING ? null : v;
    }

    private static boolean isLeaf(Expr e) {
        return switch (e) {
            case Expr.Comparison c -> true;
            case Expr.Between b -> true;
            case Expr.In i -> true;
            case Expr.Like l -> true;
            case Expr.IsNull n -> true;
            case Expr.Field f -> true;
            case Expr.Call c -> true;
            default -> false;
        };
    }

    private static Tri truth(Expr e, Env env) {
        if (env.bindings().isEmpty() && isLeaf(e)) return anyMatch(e, env);
        return switch (e) {
            case Expr.And a -> {
                Tri l = truth(a.left(), env);
                Tri r = truth(a.right(), env);
                yield l == Tri.FALSE || r == Tri.FALSE ? Tri.FALSE : l == Tri.TRUE && r == Tri.TRUE ? Tri.TRUE : Tri.UNKNOWN;
            }
            case Expr.Or o -> {
                Tri l = truth(o.left(), env);
                Tri r = truth(o.right(), env);
                yield l == Tri.TRUE || r == Tri.TRUE ? Tri.TRUE : l == Tri.FALSE && r == Tri.FALSE ? Tri.FALSE : Tri.UNKNOWN;
            }
            case Expr.Not n -> truth(n.operand(), env).not();
            case Expr.IsMissing m -> Tri.of(lookup(env.doc(), ((Expr.Field) m.value()).path()).present() == m.negated());
            case Expr.Exists x -> Tri.of(lookup(env.doc(), x.field().path()).present());
            case Expr.Literal l -> l.value() instanceof Value.BoolValue b ? Tri.of(b.value()) : Tri.UNKNOWN;
            case Expr.Comparison c -> compare(c, env);
            case Expr.Between b -> {
                Value v = value(b.value(), env);
                // a bound of another kind than the value counts as null
                Value low = value(b.low(), env);
                Value high = value(b.high(), env);
                if (!sameFamily(v, low)) low = Value.NULL;
                if (!sameFamily(v, high)) high = Value.NULL;
                Tri ge = cmp(v, low, c -> c >= 0);
                Tri le = cmp(v, high, c -> c <= 0);
                Tri in = ge == Tri.FALSE || le == Tri.FALSE ? Tri.FALSE : ge == Tri.TRUE && le == Tri.TRUE ? Tri.TRUE : Tri.UNKNOWN;
                yield b.negated() ? in.not() : in;
            }
            case Expr.In i -> {
                Value v = value(i.value(), env);
                Tri result = Tri.FALSE;
                for (Expr item : i.items()) {
                    Tri eq = cmp(v, value(item, env), c -> c == 0);
                    if (eq == Tri.TRUE) {
                        result = Tri.TRUE;
                        break;
                    }
                    if (eq == Tri.UNKNOWN) result = Tri.UNKNOWN;
                }
                yield i.negated() ? result.not() : result;
            }
            case Expr.Like l -> {
                Value v = value(l.value(), env);
                Value p = value(l.pattern(), env);
                if (!(v instanceof Value.StringValue s) || v == MISSING || !(p instanceof Value.StringValue ps)) yield Tri.UNKNOWN;
                boolean m = new LikePattern(ps.value(), l.caseInsensitive()).matches(s.value());
                yield Tri.of(m != l.negated());
            }
            case Expr.IsNull n -> {
                Value v = value(n.value(), env);
                if (n.value() instanceof Expr.Field) {
                    if (v == MISSING) yield Tri.UNKNOWN;
                    yield Tri.of((v instanceof Value.NullValue) != n.negated());
                }
                boolean isNull = v == MISSING || v instanceof Value.NullValue;
                yield Tri.of(isNull != n.negated());
            }
            case Expr.Field f -> {
                Value v = value(f, env);
                yield v instanceof Value.BoolValue b ? Tri.of(b.value()) : Tri.UNKNOWN;
            }
            case Expr.Call c -> {
                Value v = value(c, env);
                yield v instanceof Value.BoolValue b ? Tri.of(b.value()) : Tri.UNKNOWN;
            }
            default -> throw new IllegalArgumentException("not a condition: " + e);
        };
    }

    /** The same bound on element combinations as the compiled tier's. */
    private static final long MAX_COMBINATIONS = 100_000_000L;

    /** Evaluates a leaf for every combination of the elements of the array fields it reads. */
    private static Tri anyMatch(Expr leaf, Env env) {
        Set<FieldPath> paths = new LinkedHashSet<>();
        collectAnyMatchFields(leaf, paths);
        List<String> keys = new ArrayList<>();
        List<List<Value>> choices = new ArrayList<>();
        for (FieldPath p : paths) {
            Lookup l = lookup(env.doc(), p);
            keys.add(p.columnKey());
            choices.add(l.present() ? l.elements() : List.of(MISSING));
        }
        Tri result = Tri.FALSE;
        long combos = 1;
        for (List<Value> c : choices) {
            combos *= c.size();
            if (combos > MAX_COMBINATIONS) {
                throw new StrataException(ErrorCode.TOO_MANY_COMBINATIONS, "more than " + MAX_COMBINATIONS + " element combinations");
            }
        }
        for (long k = 0; k < combos; k++) {
            Map<String, Value> binding = new HashMap<>();
            long rest = k;
            for (int i = 0; i < keys.size(); i++) {
                List<Value> c = choices.get(i);
                binding.put(keys.get(i), c.get((int) (rest % c.size())));
                rest /= c.size();
            }
            binding.put("\u0000bound", Value.TRUE); // marks that we are inside a leaf
            Tri t = truth(leaf, new Env(env.doc(), env.id(), binding));
            if (t == Tri.TRUE) return Tri.TRUE;
            if (t == Tri.UNKNOWN) result = Tri.UNKNOWN;
        }
        return result;
    }

    private static void collectAnyMatchFields(Expr e, Set<FieldPath> out) {
        switch (e) {
            case Expr.Field f -> {
                if (f.path().isKeysOnly()) out.add(f.path());
            }
            case Expr.Negate n -> collectAnyMatchFields(n.operand(), out);
            case Expr.Arithmetic a -> {
                collectAnyMatchFields(a.left(), out);
                collectAnyMatchFields(a.right(), out);
            }
            case Expr.Comparison c -> {
                collectAnyMatchFields(c.left(), out);
                collectAnyMatchFields(c.right(), out);
            }
            case Expr.And a -> {
                collectAnyMatchFields(a.left(), out);
                collectAnyMatchFields(a.right(), out);
            }
            case Expr.Or o -> {
                collectAnyMatchFields(o.left(), out);
                collectAnyMatchFields(o.right(), out);
            }
            case Expr.Not n -> collectAnyMatchFields(n.operand(), out);
            case Expr.Between b -> {
                collectAnyMatchFields(b.value(), out);
                collectAnyMatchFields(b.low(), out);
                collectAnyMatchFields(b.high(), out);
            }
            case Expr.In i -> {
                collectAnyMatchFields(i.value(), out);
                i.items().forEach(x -> collectAnyMatchFields(x, out));
            }
            case Expr.Like l -> {
                collectAnyMatchFields(l.value(), out);
                collectAnyMatchFields(l.pattern(), out);
            }
            case Expr.IsNull n -> collectAnyMatchFields(n.value(), out);
            case Expr.Call c -> c.args().forEach(x -> collectAnyMatchFields(x, out));
            default -> { }
        }
    }

    private static Tri compare(Expr.Comparison c, Env env) {
        Value l = value(c.left(), env);
        Value r = value(c.right(), env);
        return cmp(l, r, x -> c.op().test(x));
    }

    private static Tri cmp(Value l, Value r, java.util.function.IntPredicate test) {
        Integer c = order(l, r);
        return c == null ? Tri.UNKNOWN : Tri.of(test.test(c));
    }

    /** Compares two values of one family; null when they cannot be compared (null, missing, other family). */
    private static Integer order(Value l, Value r) {
        if (l == MISSING || r == MISSING) return null;
        if (l instanceof Value.IntValue a && r instanceof Value.IntValue b) return Long.compare(a.value(), b.value());
        if (isNumber(l) && isNumber(r)) {
            double a = asDouble(l);
            double b = asDouble(r);
            return a < b ? -1 : a > b ? 1 : 0; // -0.0 == 0.0
        }
        if (l instanceof Value.StringValue a && r instanceof Value.StringValue b) return CodePoints.compare(a.value(), b.value());
        if (l instanceof Value.BoolValue a && r instanceof Value.BoolValue b) return Boolean.compare(a.value(), b.value());
        if (isTemporal(l) && isTemporal(r)) return Long.compare(micros(l), micros(r));
        return null;
    }

    private static boolean sameFamily(Value a, Value b) { return family(a) == family(b); }

    /** 0 number, 1 string, 2 bool, 3 date/time, 4 anything else (null, missing, object). */
    private static int family(Value v) {
        if (v == MISSING) return 4;
        return isNumber(v) ? 0 : v instanceof Value.StringValue ? 1 : v instanceof Value.BoolValue ? 2 : isTemporal(v) ? 3 : 4;
    }

    private static boolean isNumber(Value v) { return v instanceof Value.IntValue || v instanceof Value.FloatValue; }

    private static boolean isTemporal(Value v) { return v instanceof Value.DateValue || v instanceof Value.TimestampValue; }

    private static double asDouble(Value v) {
        return v instanceof Value.IntValue i ? i.value() : ((Value.FloatValue) v).value();
    }

    private static long micros(Value v) {
        if (v instanceof Value.DateValue d) {
            return Temporal.dateToMicros(d.epochDay());
        }
        return ((Value.TimestampValue) v).epochMicros();
    }

    private static Value value(Expr e, Env env) {
        return switch (e) {
            case Expr.Literal l -> l.value();
            case Expr.Field f -> {
                if (f.path().isKeysOnly() && env.bindings().containsKey(f.path().columnKey())) {
                    yield env.bindings().get(f.path().columnKey());
                }
                Lookup l = lookup(env.doc(), f.path());
                yield l.elements().isEmpty() ? MISSING : l.elements().get(0);
            }
            case Expr.DocId d -> Value.of(env.id());
            case Expr.Score s -> Value.of(1.0);
            case Expr.Aggregate a -> throw new dev.strata.core.QueryException(dev.strata.core.ErrorCode.UNSUPPORTED,
                    a.function().sql() + " is an aggregate, not a value of one document", "", a.span());
            case Expr.Negate n -> {
                Value v = value(n.operand(), env);
                if (v instanceof Value.IntValue i) {
                    if (i.value() == Long.MIN_VALUE) throw overflow();
                    yield Value.of(-i.value());
                }
                yield v instanceof Value.FloatValue f ? Value.of(-f.value()) : Value.NULL;
            }
            case Expr.Arithmetic a -> arithmetic(a.op(), value(a.left(), env), value(a.right(), env));
            case Expr.Call c -> call(c, env);
            default -> {
                Tri t = truth(e, env);
                yield t == Tri.UNKNOWN ? Value.NULL : Value.of(t == Tri.TRUE);
            }
        };
    }

    private static Value arithmetic(ArithmeticOp op, Value l, Value r) {
        if (!isNumber(l) || !isNumber(r) || l == MISSING || r == MISSING) return Value.NULL;
        if (l instanceof Value.IntValue a && r instanceof Value.IntValue b && op != ArithmeticOp.DIVIDE) {
            try {
                return switch (op) {
                    case ADD -> Value.of(Math.addExact(a.value(), b.value()));
                    case SUBTRACT -> Value.of(Math.subtractExact(a.value(), b.value()));
                    case MULTIPLY -> Value.of(Math.multiplyExact(a.value(), b.value()));
                    case MODULO -> b.value() == 0 ? Value.NULL : Value.of(a.value() % b.value());
                    default -> throw new IllegalStateException();
                };
            } catch (ArithmeticException e) {
                throw overflow();
            }
        }
        double x = asDouble(l);
        double y = asDouble(r);
        if ((op == ArithmeticOp.DIVIDE || op == ArithmeticOp.MODULO) && y == 0) return Value.NULL;
        double z = switch (op) {
            case ADD -> x + y;
            case SUBTRACT -> x - y;
            case MULTIPLY -> x * y;
            case DIVIDE -> x / y;
            case MODULO -> x % y;
        };
        return Double.isFinite(z) ? Value.of(z) : Value.NULL; // an infinite or NaN result is null
    }

    private static StrataException overflow() {
        return new StrataException(ErrorCode.INTEGER_OVERFLOW, "integer overflow");
    }

    private static Value call(Expr.Call c, Env env) {
        List<Value> args = new ArrayList<>();
        for (Expr a : c.args()) args.add(value(a, env));
        for (Value a : args) {
            if (a == MISSING || a instanceof Value.NullValue) return Value.NULL;
        }
        Builtin f = Builtin.of(c.function());
        if (f == null) throw new IllegalArgumentException("unknown function " + c.function());
        return f.evaluate(args);
    }

    /** The result of walking a path: whether a key was reached, and the flattened elements. */
    private record Lookup(boolean present, List<Value> elements) {}

    private static Lookup lookup(Value.ObjectValue doc, FieldPath path) {
        List<Value> current = List.of(doc);
        boolean present = false;
        for (FieldPath.Step step : path.steps()) {
            List<Value> next = new ArrayList<>();
            switch (step) {
                case FieldPath.Key k -> {
                    present = false;
                    for (Value v : flatten(current)) {
                        if (v instanceof Value.ObjectValue o && o.fields().containsKey(k.name())) {
                            present = true;
                            next.add(o.get(k.name()));
                        }
                    }
                }
                case FieldPath.Index i -> {
                    List<Value> flat = flatten(current);
                    present = present && i.position() < flat.size();
                    if (present) next.add(flat.get(i.position()));
                }
            }
            current = next;
        }
        return new Lookup(present, present ? flatten(current) : List.of());
    }

    private static List<Value> flatten(List<Value> values) {
        List<Value> out = new ArrayList<>();
        for (Value v : values) {
            if (v instanceof Value.ArrayValue a) out.addAll(flatten(a.elements()));
            else out.add(v);
        }
        return out;
    }
}
