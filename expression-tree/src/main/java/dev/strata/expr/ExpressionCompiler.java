package dev.strata.expr;

import dev.strata.core.ast.Expr;
import dev.strata.core.segment.Bits;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.spi.CompiledClause;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.SegmentFilter;
import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.expr.internal.Binder;
import dev.strata.expr.internal.MixedKindKey;
import dev.strata.expr.internal.Rows;
import dev.strata.expr.internal.Type;
import dev.strata.expr.internal.TypeChecker;
import dev.strata.expr.internal.Typed;
import dev.strata.expr.internal.Vec;

/**
 * Compiles expressions once per query: type-checks against the schema, folds constants, and
 * keeps the typed form; binding to a segment builds vector kernels over its columns.
 */
public final class ExpressionCompiler {
    private ExpressionCompiler() {}

    /** Compiles a condition (a WHERE clause). {@code _score} is not allowed in it. */
    public static CompiledFilter compileFilter(Expr condition, CompileContext context) {
        return new CompiledFilter(new TypeChecker(context, false).condition(condition));
    }

    /** Compiles an ORDER BY key: a bare field of several kinds reads each value with its own kind; {@code _score} is allowed. */
    public static dev.strata.core.spi.CompiledValue compileSortKey(Expr key, CompileContext context) {
        if (key instanceof Expr.Field f) {
            MixedKindKey mixed = MixedKindKey.forField(f.path(), context.schema().kindsOf(f.path()));
            if (mixed != null) return mixed;
        }
        return new CompiledValue(new TypeChecker(context, true).value(key));
    }

    /** Compiles a SET _score expression: it must be able to give a number; {@code _score} is not allowed in it. */
    public static dev.strata.core.spi.CompiledValue compileScore(Expr score, CompileContext context) {
        return new CompiledValue(new TypeChecker(context, false).score(score));
    }

    /** The value compilation the tier offers through the SPI. */
    static final dev.strata.core.spi.ValueCompiler VALUES = new dev.strata.core.spi.ValueCompiler() {
        @Override
        public dev.strata.core.spi.CompiledValue compileSortKey(Expr key, CompileContext context) {
            return ExpressionCompiler.compileSortKey(key, context);
        }

        @Override
        public dev.strata.core.spi.CompiledValue compileScore(Expr score, CompileContext context) {
            return ExpressionCompiler.compileScore(score, context);
        }
    };

    /** A compiled condition. Immutable and thread-safe; {@link #bind} once per segment. */
    public static final class CompiledFilter implements CompiledClause {
        private final Typed typed;

        CompiledFilter(Typed typed) { this.typed = typed; }

        /** True when the condition is TRUE for every document, known at compile time. */
        @Override
        public boolean isAlwaysTrue() {
            return typed instanceof Typed.Const c && Value.TRUE.equals(c.value());
        }

        /** The kernels plus each UDF call at its function's cost hint (declared, or its tier's estimate). */
        @Override
        public double staticNanosPerRow() { return Typed.nanosPerRow(typed); }

        /** True when the condition can never be TRUE (FALSE or UNKNOWN for every document). */
        @Override
        public boolean isNeverTrue() {
            return typed instanceof Typed.Const c && !Value.TRUE.equals(c.value());
        }

        @Override
        public SegmentFilter bind(Segment segment, ExecutionContext run) {
            Vec.OfBool root = new Binder(segment, run).condition(typed);
            Rows rows = new Rows(segment, run);
            return (docs, count) -> {
                if (count == 0) return 0;
                rows.setDocs(docs, count);
                root.eval(rows);
                long[] t = root.t;
                int kept = 0;
                for (int w = 0; w < Bits.words(count); w++) {
                    long bits = t[w];
                    if (w == Bits.words(count) - 1 && (count & 63) != 0) bits &= (1L << count) - 1;
                    while (bits != 0) {
                        int i = (w << 6) + Long.numberOfTrailingZeros(bits);
                        docs[kept++] = rows.doc[i];
                        bits &= bits - 1;
                    }
                }
                return kept;
            };
        }
    }

    /** A compiled value expression. Immutable and thread-safe; {@link #bind} once per segment. */
    public static final class CompiledValue implements dev.strata.core.spi.CompiledValue {
        private final Typed typed;

        CompiledValue(Typed typed) { this.typed = typed; }

        public BoundValue bind(Segment segment) { return bind(segment, ExecutionContext.unbounded()); }

        /** Binds to one segment for one run. Called once per run and segment. */
        @Override
        public BoundValue bind(Segment segment, ExecutionContext run) {
            Binder binder = new Binder(segment, run);
            Vec vec = typed.type() == Type.BOOL ? binder.condition(typed) : binder.value(typed);
            return new BoundValue(vec, typed, new Rows(segment, run));
        }
    }

    /** A value expression bound to one segment. One thread at a time. */
    public static final class BoundValue implements dev.strata.core.spi.CompiledValue.Bound {
        private final Vec vec;
        private final Typed typed;
        private final Rows rows;

        BoundValue(Vec vec, Typed typed, Rows rows) {
            this.vec = vec;
            this.typed = typed;
            this.rows = rows;
        }

        @Override
        public void evaluateScores(int[] docs, int count, double[] out) {
            if (count == 0) return;
            eval(docs, count, null);
            switch (vec) {
                case Vec.OfBool b -> {
                    for (int i = 0; i < count; i++) out[i] = Bits.get(b.t, i) ? 1 : Bits.get(b.f, i) ? 0 : Double.NaN;
                }
                case Vec.OfDouble d -> {
                    for (int i = 0; i < count; i++) out[i] = Bits.get(d.valid, i) && Double.isFinite(d.v[i]) ? d.v[i] : Double.NaN;
                }
                case Vec.OfLong l -> {
                    boolean number = typed.type() == Type.INT || typed.type() == Type.BOOL;
                    for (int i = 0; i < count; i++) out[i] = number && Bits.get(l.valid, i) ? l.v[i] : Double.NaN;
                }
                default -> java.util.Arrays.fill(out, 0, count, Double.NaN);
            }
        }

        @Override
        public void evaluateKeys(int[] docs, int count, double[] scores, SortKeys out) {
            out.ensure(count);
            if (count == 0) return;
            eval(docs, count, scores);
            switch (vec) {
                case Vec.OfBool b -> {
                    for (int i = 0; i < count; i++) {
                        if (Bits.get(b.t, i)) out.setPayload(i, ValueKind.BOOL, 1);
                        else if (Bits.get(b.f, i)) out.setPayload(i, ValueKind.BOOL, 0);
                        else out.setNull(i);
                    }
                }
                case Vec.OfDouble d -> {
                    for (int i = 0; i < count; i++) {
                        if (Bits.get(d.valid, i)) out.setFloat(i, d.v[i]);
                        else out.setNull(i);
                    }
                }
                case Vec.OfLong l -> {
                    ValueKind kind = switch (typed.type()) {
                        case BOOL -> ValueKind.BOOL;
                        case DATE -> ValueKind.DATE;
                        case TIMESTAMP -> ValueKind.TIMESTAMP;
                        default -> ValueKind.INT;
                    };
                    for (int i = 0; i < count; i++) {
                        if (!Bits.get(l.valid, i)) out.setNull(i);
                        else if (kind == ValueKind.INT) out.setInt(i, l.v[i]);
                        else out.setPayload(i, kind, l.v[i]);
                    }
                }
                case Vec.OfString str -> {
                    String[] v = str.strings(count);
                    for (int i = 0; i < count; i++) {
                        if (Bits.get(str.valid, i)) out.setString(i, v[i]);
                        else out.setNull(i);
                    }
                }
                default -> throw new IllegalStateException("value kernel " + vec);
            }
        }

        @Override
        public void evaluateValues(int[] docs, int count, double[] scores, Value[] out) {
            if (count == 0) return;
            eval(docs, count, scores);
            if (vec instanceof Vec.OfString str) { // decode the strings once, not once per row
                String[] v = str.strings(count);
                for (int i = 0; i < count; i++) out[i] = Bits.get(str.valid, i) ? Value.of(v[i]) : Value.NULL;
                return;
            }
            for (int i = 0; i < count; i++) out[i] = dev.strata.expr.internal.Boxing.box(vec, typed.type(), i, count);
        }

        private void eval(int[] docs, int count, double[] scores) {
            rows.setDocs(docs, count);
            rows.scores = scores;
            vec.eval(rows);
        }
    }
}
