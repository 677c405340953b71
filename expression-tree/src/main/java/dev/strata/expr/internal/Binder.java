package dev.strata.expr.internal;

import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import dev.strata.core.value.CodePoints;
import dev.strata.expr.LikePattern;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns {@link Typed} nodes into kernels bound to one segment: resolves columns, looks constants up
 * in dictionaries, and wraps each leaf that reads array fields in an any-match expansion. Runs once
 * per query and segment; the kernels it returns belong to one thread.
 */
public final class Binder {
    private final Segment segment;
    private final ExecutionContext run;
    /** Any-match slots of the leaf being bound (column key to slot), or null outside a leaf. */
    private Map<String, Integer> slots;

    public Binder(Segment segment, ExecutionContext run) {
        this.segment = segment;
        this.run = run;
    }

    // ------------------------------------------------------------------ conditions

    public Vec.OfBool condition(Typed t) {
        if (slots == null && Typed.isLeaf(t)) {
            Map<String, FieldColumn> multi = new LinkedHashMap<>();
            collectArrayFields(t, multi);
            if (!multi.isEmpty()) {
                slots = new LinkedHashMap<>();
                for (String key : multi.keySet()) slots.put(key, slots.size());
                try {
                    Rows inner = new Rows(segment, run);
                    Vec.OfBool leaf = condition(t);
                    return new CallKernels.AnyMatch(multi.values().toArray(FieldColumn[]::new), leaf, inner);
                } finally {
                    slots = null;
                }
            }
        }
        return switch (t) {
            case Typed.Const c -> new Kernels.BoolConst(c.value() instanceof Value.BoolValue b ? b.value() : null);
            case Typed.And a -> new LogicKernels.And(condition(a.left()), condition(a.right()), callsUdf(a.right()));
            case Typed.Or o -> new LogicKernels.Or(condition(o.left()), condition(o.right()), callsUdf(o.right()));
            case Typed.Not n -> new LogicKernels.Not(condition(n.operand()));
            case Typed.Compare c -> compare(c.op(), c.left(), c.right());
            case Typed.Between b -> between(b);
            case Typed.Either e -> new LogicKernels.Either(e.alternatives().stream().map(this::condition).toList());
            case Typed.In i -> in(i);
            case Typed.Like l -> {
                Vec.OfString v = strings(l.value());
                if (v instanceof FieldReaders.StringField f) yield new CompareKernels.CodeLookup(f, dictionaryMatches(f, l.pattern(), l.negated()), false);
                yield new CompareKernels.InTest(v, i -> l.pattern().matches(v.v[i], run) != l.negated(), false);
            }
            case Typed.FieldIsNull n -> new FieldReaders.FieldIsNull(locate(n.path(), n.position()), n.negated());
            case Typed.ValueIsNull n -> new LogicKernels.ValueIsNull(value(n.value()), n.negated());
            case Typed.Present p -> new FieldReaders.Present(segment.column(p.path()), p.position(), p.negated());
            case Typed.FieldRead f -> new Kernels.LongToBool(longs(f));
            case Typed.Call c -> (Vec.OfBool) Builtin.of(c.function()).bind(this, c);
            case Typed.Udf u -> new CallKernels.UdfBool(udf(u));
            default -> throw new IllegalStateException("not a condition: " + t);
        };
    }

    /** The kernels of a call's arguments, each read as strings. */
    List<Vec.OfString> stringArgs(Typed.Call c) {
        List<Vec.OfString> args = new ArrayList<>();
        for (Typed a : c.args()) args.add(strings(a));
        return args;
    }

    /**
     * starts_with / ends_with / contains: over a dictionary field and a constant, once per distinct
     * value (the constant as a LIKE literal with {@code %} before and/or after it); else row by row.
     */
    Vec.OfBool stringTest(Typed.Call c, boolean anyStart, boolean anyEnd, java.util.function.BiPredicate<String, String> test) {
        Vec.OfString value = strings(c.args().get(0));
        if (value instanceof FieldReaders.StringField f && c.args().get(1) instanceof Typed.Const k && k.value() instanceof Value.StringValue s) {
            return new CompareKernels.CodeLookup(f, dictionaryMatches(f, LikePattern.literal(s.value(), anyStart, anyEnd), false), false);
        }
        return new CallKernels.StringTest(value, strings(c.args().get(1)), test);
    }

    private boolean[] dictionaryMatches(FieldReaders.StringField f, LikePattern p, boolean negated) {
        if (f.dictionary == null) return new boolean[0];
        boolean[] m = p.matchDictionary(f.dictionary, run);
        if (negated) for (int i = 0; i < m.length; i++) m[i] = !m[i];
        return m;
    }

    private void collectArrayFields(Typed t, Map<String, FieldColumn> out) {
        FieldPath path = null;
        int position = 0;
        if (t instanceof Typed.FieldRead f) {
            path = f.path();
            position = f.position();
        } else if (t instanceof Typed.FieldIsNull n) {
            path = n.path();
            position = n.position();
        }
        if (path != null) {
            FieldColumn c = segment.column(path);
            if (position < 0 && c != null && !c.isSingleValued()) out.putIfAbsent(path.columnKey(), c);
            return;
        }
        for (Typed child : children(t)) collectArrayFields(child, out);
    }

    /** Whether a UDF is called anywhere in {@code t}: then it is worth evaluating only on the rows still open. */
    private static boolean callsUdf(Typed t) {
        if (t instanceof Typed.Udf) return true;
        for (Typed c : children(t)) if (callsUdf(c)) return true;
        return false;
    }

    static List<Typed> children(Typed t) {
        return switch (t) {
            case Typed.Cast c -> List.of(c.operand());
            case Typed.Negate n -> List.of(n.operand());
            case Typed.Arithmetic a -> List.of(a.left(), a.right());
            case Typed.Compare c -> List.of(c.left(), c.right());
            case Typed.Between b -> List.of(b.value(), b.low(), b.high());
            case Typed.Either e -> e.alternatives();
            case Typed.In i -> List.of(i.value());
            case Typed.Like l -> List.of(l.value());
            case Typed.ValueIsNull n -> List.of(n.value());
            case Typed.And a -> List.of(a.left(), a.right());
            case Typed.Or o -> List.of(o.left(), o.right());
            case Typed.Not n -> List.of(n.operand());
            case Typed.Call c -> c.args();
            case Typed.Udf u -> u.args();
            default -> List.of();
        };
    }

    private Vec.OfBool compare(ComparisonOp op, Typed l, Typed r) {
        if (l instanceof Typed.Const && !(r instanceof Typed.Const)) return compare(op.flip(), r, l);
        Type type = l.type();
        if (r instanceof Typed.Const c && c.value() instanceof Value.NullValue) return new Kernels.BoolConst(null);
        switch (type) {
            case FLOAT -> {
                Vec.OfDouble a = doubles(l);
                if (r instanceof Typed.Const c) return new CompareKernels.CompareDoubleConst(op, a, ((Value.FloatValue) c.value()).value());
                return new CompareKernels.CompareDouble(op, a, doubles(r));
            }
            case STRING -> {
                Vec.OfString a = strings(l);
                if (r instanceof Typed.Const c && a instanceof FieldReaders.StringField f) {
                    return new CompareKernels.CompareCodeConst(op, f, ((Value.StringValue) c.value()).value());
                }
                return new CompareKernels.CompareString(op, a, strings(r));
            }
            default -> {
                Vec.OfLong a = longs(l);
                if (r instanceof Typed.Const c) return new CompareKernels.CompareLongConst(op, a, ConstantFolder.asLong(c.value()));
                return new CompareKernels.CompareLong(op, a, longs(r));
            }
        }
    }

    private Vec.OfBool between(Typed.Between b) {
        Typed shared = switch (b.value().type()) {
            case FLOAT -> new Shared(new Kernels.MemoDouble(doubles(b.value())), Type.FLOAT);
            case STRING -> new Shared(new Kernels.MemoString(strings(b.value())), Type.STRING);
            default -> new Shared(new Kernels.MemoLong(longs(b.value())), b.value().type());
        };
        Vec.OfBool both = new LogicKernels.And(compare(ComparisonOp.GE, shared, b.low()), compare(ComparisonOp.LE, shared, b.high()));
        return b.negated() ? new LogicKernels.Not(both) : both;
    }

    /** An operand already bound (the memoised value of a BETWEEN); only the binder sees it. */
    private record Shared(Vec vec, Type type) implements Typed.Bound {}

    private Vec.OfBool in(Typed.In in) {
        boolean unknownWhenNoMatch = in.hasNull();
        Vec.OfBool test;
        switch (in.value().type()) {
            case FLOAT -> {
                double[] set = in.items().stream().mapToDouble(v -> ((Value.FloatValue) v).value() + 0.0).sorted().toArray();
                Vec.OfDouble v = doubles(in.value());
                test = new CompareKernels.InTest(v, i -> Arrays.binarySearch(set, v.v[i] + 0.0) >= 0, unknownWhenNoMatch);
            }
            case STRING -> {
                TreeSet<String> set = new TreeSet<>(CodePoints::compare);
                for (Value v : in.items()) set.add(((Value.StringValue) v).value());
                Vec.OfString v = strings(in.value());
                test = v instanceof FieldReaders.StringField f
                        ? new CompareKernels.CodeLookup(f, set::contains, unknownWhenNoMatch)
                        : new CompareKernels.InTest(v, i -> set.contains(v.v[i]), unknownWhenNoMatch);
            }
            default -> {
                long[] set = in.items().stream().mapToLong(ConstantFolder::asLong).sorted().toArray();
                Vec.OfLong v = longs(in.value());
                test = new CompareKernels.InTest(v, i -> Arrays.binarySearch(set, v.v[i]) >= 0, unknownWhenNoMatch);
            }
        }
        return in.negated() ? new LogicKernels.Not(test) : test;
    }

    // ------------------------------------------------------------------ values

    /** Binds a value of any type; bools come back as 0/1 longs. */
    public Vec value(Typed t) {
        return switch (t.type()) {
            case FLOAT -> doubles(t);
            case STRING -> strings(t);
            default -> longs(t);
        };
    }

    private FieldReaders.Locator locate(FieldPath path, int position) {
        FieldColumn c = segment.column(path);
        int slot = slots != null && position < 0 && c != null && !c.isSingleValued() ? slots.get(path.columnKey()) : -1;
        return new FieldReaders.Locator(c, slot, position);
    }

    Vec.OfLong longs(Typed t) {
        return switch (t) {
            case Shared s -> (Vec.OfLong) s.vec();
            case Typed.Const c -> new Kernels.LongConst(c.value() instanceof Value.NullValue ? 0 : ConstantFolder.asLong(c.value()),
                    c.value() instanceof Value.NullValue);
            case Typed.FieldRead f -> new FieldReaders.LongField(locate(f.path(), f.position()), f.type());
            case Typed.Cast c -> new Kernels.DateToTimestamp(longs(c.operand()));
            case Typed.Negate n -> new ArithmeticKernels.NegateLong(longs(n.operand()), n.where());
            case Typed.Arithmetic a -> new ArithmeticKernels.LongArithmetic(a.op(), longs(a.left()), longs(a.right()), a.where());
            case Typed.Call c -> (Vec.OfLong) Builtin.of(c.function()).bind(this, c);
            case Typed.Udf u -> new CallKernels.UdfLong(udf(u));
            default -> new Kernels.BoolToLong(condition(t));
        };
    }

    Vec.OfDouble doubles(Typed t) {
        return switch (t) {
            case Shared s -> (Vec.OfDouble) s.vec();
            case Typed.Const c -> new Kernels.DoubleConst(c.value() instanceof Value.FloatValue f ? f.value() : 0,
                    c.value() instanceof Value.NullValue);
            case Typed.FieldRead f -> new FieldReaders.DoubleField(locate(f.path(), f.position()));
            case Typed.ScoreRead s -> new ScoreField();
            case Typed.Cast c -> new Kernels.IntToFloat(longs(c.operand()));
            case Typed.Negate n -> new ArithmeticKernels.NegateDouble(doubles(n.operand()));
            case Typed.Arithmetic a -> {
                if (a.op() == ArithmeticOp.MULTIPLY && a.right() instanceof Typed.Cast c && !(c.operand() instanceof Typed.Const)) {
                    yield new ArithmeticKernels.DoubleTimesLong(doubles(a.left()), longs(c.operand()));
                }
                if (a.op() == ArithmeticOp.MULTIPLY && a.left() instanceof Typed.Cast c && !(c.operand() instanceof Typed.Const)) {
                    yield new ArithmeticKernels.DoubleTimesLong(doubles(a.right()), longs(c.operand()));
                }
                yield new ArithmeticKernels.DoubleArithmetic(a.op(), doubles(a.left()), doubles(a.right()));
            }
            case Typed.Call c -> (Vec.OfDouble) Builtin.of(c.function()).bind(this, c);
            case Typed.Udf u -> new CallKernels.UdfDouble(udf(u));
            default -> throw new IllegalStateException("not a float: " + t);
        };
    }

    Vec.OfString strings(Typed t) {
        return switch (t) {
            case Shared s -> (Vec.OfString) s.vec();
            case Typed.Const c -> new Kernels.StringConst(c.value() instanceof Value.StringValue s ? s.value() : null);
            case Typed.FieldRead f -> new FieldReaders.StringField(locate(f.path(), f.position()));
            case Typed.IdRead i -> new FieldReaders.IdField();
            case Typed.Call c -> (Vec.OfString) Builtin.of(c.function()).bind(this, c);
            case Typed.Udf u -> new CallKernels.UdfString(udf(u));
            default -> throw new IllegalStateException("not a string: " + t);
        };
    }

    private CallKernels.Udf udf(Typed.Udf u) {
        List<Vec> args = new ArrayList<>();
        for (Typed a : u.args()) args.add(a.type() == Type.BOOL ? condition(a) : value(a));
        return new CallKernels.Udf(u, args);
    }

    /** {@code _score} from the rows' scores (1.0 when none were set; null where the set score was null, kept as NaN). */
    static final class ScoreField extends Vec.OfDouble {
        @Override
        public void eval(Rows r) {
            ensure(r.n);
            for (int i = 0; i < r.n; i++) v[i] = r.scores == null ? 1.0 : r.scores[i];
            Kernels.fill(valid, r.n, -1L);
            Kernels.nullNonFinite(v, valid, r.n);
        }
    }
}
