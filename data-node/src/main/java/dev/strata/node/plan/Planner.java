package dev.strata.node.plan;

import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.segment.Schema;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.CompiledClause;
import dev.strata.core.spi.CompiledValue;
import dev.strata.core.spi.ValueCompiler;
import dev.strata.core.spi.ClauseCompiler;
import dev.strata.core.spi.UdfResolver;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import dev.strata.node.tier.TierRegistry;
import dev.strata.node.index.Bound;
import dev.strata.node.index.SegmentIndex.Family;
import dev.strata.parser.QueryPrinter;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a parsed query into a {@link Plan} for one schema. Every top-level conjunct is
 * type-checked and compiled once, whatever will run it, so a query fails or succeeds the same way
 * whichever plan runs it. Then each conjunct goes to the index if every leaf in it is index-able,
 * otherwise it becomes a stage of its own (run in the order of measured cost, see
 * {@code exec.ConjunctStats}).
 */
public final class Planner {
    /** Tiers in the order their stages run: cheapest first. */
    public static final List<String> TIER_ORDER = List.of("expression", "wasm_udf", "python_udf");

    private Planner() {}

    public static Plan plan(Query q, String text, Schema schema, TierRegistry tiers, boolean useIndexes) {
        CompileContext ctx = new CompileContext(text, schema, tiers);
        List<String> warnings = FieldHints.warnings(q, schema);
        ValueCompiler values = tiers.values();
        Grouping grouping = q.grouped() ? GroupPlanner.plan(q, ctx, values) : null;
        CompiledValue score = q.score() == null || grouping != null ? null : values.compileScore(q.score(), ctx);
        List<CompiledValue> keys = new ArrayList<>();
        if (grouping == null) for (Query.OrderKey k : q.orderBy()) keys.add(values.compileSortKey(k.expr(), ctx));
        List<Plan.Projection> projections = new ArrayList<>();
        if (q.select() != null && grouping == null) {
            for (Query.Item item : q.select().items()) {
                projections.add(item.expr() instanceof Expr.Field f && f.path().isKeysOnly()
                        ? new Plan.Projection(item.name(), f.path(), null)
                        : new Plan.Projection(item.name(), null, values.compileSortKey(item.expr(), ctx)));
            }
        }
        if (q.filter() == null) return new Plan(q, schema, null, List.of(), List.of(), score, keys, false, warnings, projections, grouping);

        // Type-check once: each top-level conjunct is compiled exactly once, left to right (so the first
        // error is the one a check of the whole condition meets first), and each UDF call site in it is
        // resolved once. The compiled conjuncts become the stages; the whole is never compiled again.
        List<Expr> conjuncts = new ArrayList<>();
        flattenAnd(q.filter(), conjuncts);
        ClauseCompiler clauses = tiers.clauses();
        List<CompiledClause> compiled = new ArrayList<>(conjuncts.size());
        for (Expr c : conjuncts) compiled.add(clauses.compile(c, ctx));
        boolean allTrue = true;
        for (CompiledClause c : compiled) {
            if (c.isNeverTrue()) return new Plan(q, schema, null, List.of(), List.of(), score, keys, true, warnings, projections, grouping);
            allTrue &= c.isAlwaysTrue();
        }
        if (allTrue) return new Plan(q, schema, null, List.of(), List.of(), score, keys, false, warnings, projections, grouping);

        List<IndexPlan> indexParts = new ArrayList<>();
        List<String> indexed = new ArrayList<>();
        List<Plan.Stage> stages = new ArrayList<>();
        for (int k = 0; k < conjuncts.size(); k++) {
            Expr c = conjuncts.get(k);
            if (compiled.get(k).isAlwaysTrue()) continue; // TRUE for every document: nothing to filter
            IndexPlan ip = useIndexes ? toIndex(c) : null;
            if (ip != null) {
                indexParts.add(ip);
                indexed.add(QueryPrinter.print(c));
            } else { // one stage per conjunct: each sees only the rows every stage before it kept
                double cost = compiled.get(k).staticNanosPerRow(); // the tier's estimate, declared UDF costs included
                stages.add(new Plan.Stage(tierOf(c), QueryPrinter.print(c), compiled.get(k), Double.isNaN(cost) ? staticCost(c) : cost));
            }
        }
        stages.sort(java.util.Comparator.comparingDouble(Plan.Stage::staticNanosPerRow)); // stable: written order among equals
        IndexPlan index = indexParts.isEmpty() ? null : indexParts.size() == 1 ? indexParts.get(0) : new IndexPlan.And(indexParts);
        return new Plan(q, schema, index, indexed, stages, score, keys, false, warnings, projections, grouping);
    }

    private static void flattenAnd(Expr e, List<Expr> out) {
        if (e instanceof Expr.And a) {
            flattenAnd(a.left(), out);
            flattenAnd(a.right(), out);
        } else {
            out.add(e);
        }
    }

    /**
     * Static cost estimates per row, for a tier whose compiled clause cannot say
     * ({@code CompiledClause.staticNanosPerRow()} is NaN): an expression kernel costs a few
     * nanoseconds, a WASM call tens, a Python call about a microsecond. The expression tier says,
     * from each UDF's declared or estimated cost.
     */
    static final double EXPRESSION_NANOS = 2, WASM_CALL_NANOS = 50, PYTHON_CALL_NANOS = 2_000;

    /** A conjunct's static cost per row: the kernel plus each UDF call site by its tier. */
    static double staticCost(Expr e) {
        double[] cost = {EXPRESSION_NANOS};
        visit(e, x -> {
            if (x instanceof Expr.UdfCall u) cost[0] += u.tier().equals("python_udf") ? PYTHON_CALL_NANOS : WASM_CALL_NANOS;
        });
        return cost[0];
    }

    /** The most expensive tier a clause needs: a UDF call anywhere in it decides. */
    static String tierOf(Expr e) {
        String[] worst = {"expression"};
        visit(e, x -> {
            if (x instanceof Expr.UdfCall u && TIER_ORDER.contains(u.tier())
                    && TIER_ORDER.indexOf(u.tier()) > TIER_ORDER.indexOf(worst[0])) {
                worst[0] = u.tier();
            }
        });
        return worst[0];
    }

    /** Calls {@code f} on {@code e} and every expression under it. */
    static void visit(Expr e, java.util.function.Consumer<Expr> f) {
        f.accept(e);
        switch (e) {
            case Expr.Negate n -> visit(n.operand(), f);
            case Expr.Arithmetic a -> { visit(a.left(), f); visit(a.right(), f); }
            case Expr.Comparison c -> { visit(c.left(), f); visit(c.right(), f); }
            case Expr.And a -> { visit(a.left(), f); visit(a.right(), f); }
            case Expr.Or o -> { visit(o.left(), f); visit(o.right(), f); }
            case Expr.Not n -> visit(n.operand(), f);
            case Expr.Between b -> { visit(b.value(), f); visit(b.low(), f); visit(b.high(), f); }
            case Expr.In in -> { visit(in.value(), f); in.items().forEach(i -> visit(i, f)); }
            case Expr.Like l -> { visit(l.value(), f); visit(l.pattern(), f); }
            case Expr.IsNull n -> visit(n.value(), f);
            case Expr.IsMissing m -> visit(m.value(), f);
            case Expr.Call c -> c.args().forEach(a -> visit(a, f));
            case Expr.UdfCall u -> u.args().forEach(a -> visit(a, f));
            case Expr.Aggregate a -> { if (a.argument() != null) visit(a.argument(), f); }
            default -> { }
        }
    }

    /** The index recipe for a clause whose TRUE set the indexes give exactly, or null. */
    static IndexPlan toIndex(Expr e) {
        return switch (e) {
            case Expr.Comparison c -> comparison(c);
            case Expr.Between b when !b.negated() -> between(b);
            case Expr.In in when !in.negated() -> in(in);
            case Expr.Exists x -> plainField(x.field()) == null ? null : exists(x.field().path());
            case Expr.IsMissing m -> {
                FieldPath p = plainField(m.value());
                if (p == null) yield null;
                yield m.negated() ? exists(p) : new IndexPlan.AndNot(new IndexPlan.All(), exists(p));
            }
            case Expr.And a -> {
                IndexPlan l = toIndex(a.left());
                IndexPlan r = l == null ? null : toIndex(a.right());
                yield r == null ? null : new IndexPlan.And(List.of(l, r));
            }
            case Expr.Or o -> {
                IndexPlan l = toIndex(o.left());
                IndexPlan r = l == null ? null : toIndex(o.right());
                yield r == null ? null : new IndexPlan.Or(List.of(l, r));
            }
            // NOT is exact only over two-valued operands: there, FALSE is the complement of TRUE.
            case Expr.Not n when twoValued(n.operand()) -> {
                IndexPlan inner = toIndex(n.operand());
                yield inner == null ? null : new IndexPlan.AndNot(new IndexPlan.All(), inner);
            }
            default -> null;
        };
    }

    private static boolean twoValued(Expr e) {
        return switch (e) {
            case Expr.Exists x -> true;
            case Expr.IsMissing m -> true;
            case Expr.And a -> twoValued(a.left()) && twoValued(a.right());
            case Expr.Or o -> twoValued(o.left()) && twoValued(o.right());
            case Expr.Not n -> twoValued(n.operand());
            default -> false;
        };
    }

    private static IndexPlan exists(FieldPath p) {
        return new IndexPlan.Exists(p.columnKey(), dotted(p));
    }

    private static IndexPlan comparison(Expr.Comparison c) {
        FieldPath p = plainField(c.left());
        Value v = constant(c.right());
        ComparisonOp op = c.op();
        if (p == null || v == null) {
            p = plainField(c.right());
            v = constant(c.left());
            op = op.flip();
        }
        Family family = family(v);
        if (p == null || family == null) return null;
        String key = p.columnKey();
        String name = dotted(p);
        Bound incl = new Bound(v, true);
        Bound excl = new Bound(v, false);
        return switch (op) {
            case EQ -> new IndexPlan.Range(key, name, family, incl, incl);
            case NE -> new IndexPlan.Or(List.of(new IndexPlan.Range(key, name, family, null, excl),
                    new IndexPlan.Range(key, name, family, excl, null)));
            case LT -> new IndexPlan.Range(key, name, family, null, excl);
            case LE -> new IndexPlan.Range(key, name, family, null, incl);
            case GT -> new IndexPlan.Range(key, name, family, excl, null);
            case GE -> new IndexPlan.Range(key, name, family, incl, null);
        };
    }

    private static IndexPlan between(Expr.Between b) {
        FieldPath p = plainField(b.value());
        Value lo = constant(b.low());
        Value hi = constant(b.high());
        if (p == null || lo == null || hi == null) return null;
        Family f = family(lo);
        if (f == null || f != family(hi)) return null;
        return new IndexPlan.Range(p.columnKey(), dotted(p), f, new Bound(lo, true), new Bound(hi, true));
    }

    private static IndexPlan in(Expr.In in) {
        FieldPath p = plainField(in.value());
        if (p == null) return null;
        List<IndexPlan> parts = new ArrayList<>();
        for (Expr item : in.items()) {
            if (item instanceof Expr.Literal l && l.value() instanceof Value.NullValue) continue; // never makes IN TRUE
            Value v = constant(item);
            Family f = family(v);
            if (f == null) return null;
            Bound b = new Bound(v, true);
            parts.add(new IndexPlan.Range(p.columnKey(), dotted(p), f, b, b));
        }
        if (parts.isEmpty()) return null;
        return parts.size() == 1 ? parts.get(0) : new IndexPlan.Or(parts);
    }

    private static FieldPath plainField(Expr e) {
        return e instanceof Expr.Field f && f.path().isKeysOnly() ? f.path() : null;
    }

    /** A literal, or a negated numeric literal that does not overflow; null otherwise. */
    private static Value constant(Expr e) {
        if (e instanceof Expr.Literal l) return l.value();
        if (e instanceof Expr.Negate n && n.operand() instanceof Expr.Literal l) {
            if (l.value() instanceof Value.IntValue i && i.value() != Long.MIN_VALUE) return new Value.IntValue(-i.value());
            if (l.value() instanceof Value.FloatValue f) return new Value.FloatValue(-f.value());
        }
        return null;
    }

    private static Family family(Value v) {
        if (v == null) return null;
        return switch (v) {
            case Value.StringValue s -> Family.STRING;
            case Value.IntValue i -> Family.NUMERIC;
            case Value.FloatValue f -> Family.NUMERIC;
            case Value.DateValue d -> Family.TEMPORAL;
            case Value.TimestampValue t -> Family.TEMPORAL;
            default -> null;
        };
    }

    private static String dotted(FieldPath p) {
        StringBuilder b = new StringBuilder();
        QueryPrinter.path(p, b);
        return b.toString();
    }
}
