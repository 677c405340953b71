package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.segment.Bits;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.spi.UdfBatch;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.value.Value;
import java.util.List;

/** Built-in function kernels, UDF calls through the engine-core SPI, and any-match expansion. */
final class CallKernels {
    private CallKernels() {}

    /** lower, upper, concat: strings in, a string out; each batch's results are accounted against the run's memory budget. */
    static final class StringFunction extends Vec.OfString {
        private final String name;
        private final List<Vec.OfString> args;
        private final StringOp op;
        private final boolean accountBefore;
        private long held;

        /** Row {@code i}'s result from the argument columns {@code in}; every argument of the row is present. */
        @FunctionalInterface
        interface StringOp {
            String apply(String[][] in, int i);
        }

        /** {@code accountBefore}: results may be far longer than the arguments (concat), so they are accounted before they are built. */
        StringFunction(String name, List<Vec.OfString> args, StringOp op, boolean accountBefore) {
            this.name = name;
            this.args = args;
            this.op = op;
            this.accountBefore = accountBefore;
        }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            releasePrevious(r);
            Kernels.fill(valid, n, -1L);
            String[][] in = new String[args.size()][];
            for (int a = 0; a < args.size(); a++) {
                Vec.OfString arg = args.get(a);
                arg.eval(r);
                in[a] = arg.strings(n);
                for (int w = 0; w < Bits.words(n); w++) valid[w] &= arg.valid[w];
            }
            long bytes = 0;
            for (int i = 0; i < n; i++) {
                if (!Bits.get(valid, i)) continue;
                if (accountBefore) {
                    long len = 0;
                    for (String[] col : in) len += col[i].length();
                    bytes += 56 + 2 * len;
                    if (bytes > CHECK_EVERY) {
                        r.run.memory().reserve(bytes, name + "() results");
                        held += bytes;
                        bytes = 0;
                    }
                }
                v[i] = op.apply(in, i);
                if (!accountBefore) bytes += UdfBatch.stringBytes(v[i]);
            }
            r.run.memory().reserve(bytes, name + "() results");
            held += bytes;
        }

        /** Releases what the previous batch's results held (they are overwritten now). */
        private void releasePrevious(Rows r) {
            r.run.memory().release(held);
            held = 0;
        }
    }

    /** Concatenations are accounted before they are built, at least this often (bytes). */
    private static final long CHECK_EVERY = 1 << 20;

    /** length: code points. */
    static final class Length extends Vec.OfLong {
        private final Vec.OfString arg;

        Length(Vec.OfString arg) { this.arg = arg; }

        @Override
        public void eval(Rows r) {
            arg.eval(r);
            ensure(r.n);
            String[] s = arg.strings(r.n);
            for (int i = 0; i < r.n; i++) v[i] = Bits.get(arg.valid, i) ? s[i].codePointCount(0, s[i].length()) : 0;
            System.arraycopy(arg.valid, 0, valid, 0, Bits.words(r.n));
        }
    }

    /** starts_with, ends_with, contains over two string kernels. */
    static final class StringTest extends Vec.OfBool {
        private final Vec.OfString a;
        private final Vec.OfString b;
        private final java.util.function.BiPredicate<String, String> test;

        StringTest(Vec.OfString a, Vec.OfString b, java.util.function.BiPredicate<String, String> test) {
            this.a = a;
            this.b = b;
            this.test = test;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            b.eval(r);
            int n = r.n;
            ensure(n);
            String[] x = a.strings(n);
            String[] y = b.strings(n);
            Kernels.fill(t, n, 0);
            Kernels.fill(f, n, 0);
            for (int i = 0; i < n; i++) {
                if (!Bits.get(a.valid, i) || !Bits.get(b.valid, i)) continue;
                if (test.test(x[i], y[i])) t[i >>> 6] |= 1L << i;
                else f[i >>> 6] |= 1L << i;
            }
        }
    }

    static final class AbsLong extends Vec.OfLong {
        private final Vec.OfLong a;
        private final String where;

        AbsLong(Vec.OfLong a, String where) {
            this.a = a;
            this.where = where;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            ensure(r.n);
            for (int i = 0; i < r.n; i++) {
                long x = a.v[i];
                if (x == Long.MIN_VALUE && Bits.get(a.valid, i)) throw Kernels.overflow(where);
                v[i] = Math.abs(x);
            }
            System.arraycopy(a.valid, 0, valid, 0, Bits.words(r.n));
        }
    }

    /** abs, floor, ceil, round on floats. */
    static final class DoubleFunction extends Vec.OfDouble {
        private final Vec.OfDouble a;
        private final java.util.function.DoubleUnaryOperator op;

        DoubleFunction(Vec.OfDouble a, java.util.function.DoubleUnaryOperator op) {
            this.a = a;
            this.op = op;
        }

        @Override
        public void eval(Rows r) {
            a.eval(r);
            ensure(r.n);
            double[] x = a.v;
            for (int i = 0; i < r.n; i++) v[i] = op.applyAsDouble(x[i]);
            System.arraycopy(a.valid, 0, valid, 0, Bits.words(r.n));
        }
    }

    /** Boxes row {@code i} of a vector of static type {@code type} (null when not valid). */
    static Value box(Vec vec, Type type, int i, int n) {
        if (vec instanceof Vec.OfBool b) {
            return Bits.get(b.t, i) ? Value.TRUE : Bits.get(b.f, i) ? Value.FALSE : Value.NULL;
        }
        if (!Bits.get(vec.valid, i)) return Value.NULL;
        return switch (type) {
            case INT -> Value.of(((Vec.OfLong) vec).v[i]);
            case BOOL -> Value.of(((Vec.OfLong) vec).v[i] != 0);
            case DATE -> new Value.DateValue((int) ((Vec.OfLong) vec).v[i]);
            case TIMESTAMP -> new Value.TimestampValue(((Vec.OfLong) vec).v[i]);
            case FLOAT -> Value.of(((Vec.OfDouble) vec).v[i]);
            case STRING -> Value.of(((Vec.OfString) vec).strings(n)[i]);
        };
    }

    /**
     * One UDF call site bound to a segment, called once per batch. The argument kernels' own arrays
     * become the batch's columns, and the result kernel's arrays receive the results: nothing is
     * boxed or copied on the way, except bool arguments, which are turned from TRUE/FALSE bitsets
     * into 0/1 values. A deterministic function goes through {@link DistinctCalls}: called once per
     * distinct argument value.
     */
    static final class Udf {
        final UdfFunction function;
        final String tier;
        final String qualifiedName;
        final Vec[] args;
        final UdfBatch batch;
        private long[][] boolScratch;
        private final DistinctCalls distinct;

        Udf(Typed.Udf call, List<Vec> args) {
            this.function = call.function();
            this.tier = call.tier();
            this.qualifiedName = call.qualifiedName();
            this.args = args.toArray(Vec[]::new);
            this.batch = new UdfBatch(function.parameterKinds());
            this.batch.label = call.label();
            this.boolScratch = new long[args.size()][];
            this.distinct = function.deterministic() && !args.isEmpty() ? DistinctCalls.of(this) : null;
        }

        /** Runs the function over the rows; results land in the out arrays the caller sized to {@code r.n}. */
        void call(Rows r, long[] outLongs, double[] outDoubles, String[] outStrings, long[] outValid) {
            int n = r.n;
            batch.context = r.run;
            batch.segment = r.segment;
            batch.docs = r.doc;
            batch.scores = r.scores;
            batch.count = n;
            batch.outLongs = outLongs;
            batch.outDoubles = outDoubles;
            batch.outStrings = outStrings;
            batch.outValid = outValid;
            batch.releaseResults(); // the previous batch's string results are no longer read
            Kernels.fill(outValid, n, 0);
            if (distinct != null) {
                distinct.call(r);
            } else {
                loadArguments(r);
                function.evaluate(batch);
            }
        }

        /** Evaluates the argument kernels over the rows and lends their columns to the batch. */
        void loadArguments(Rows r) {
            int n = r.n;
            for (int a = 0; a < args.length; a++) {
                Vec arg = args[a];
                arg.eval(r);
                switch (arg) {
                    case Vec.OfBool b -> {
                        int words = Bits.words(n);
                        long[] v = boolScratch[a];
                        if (v == null || v.length < n) v = boolScratch[a] = new long[Math.max(n, 64)];
                        long[] valid = batch.argValid[a] == null || batch.argValid[a].length < words
                                ? new long[Math.max(words, 1)] : batch.argValid[a];
                        for (int w = 0; w < words; w++) valid[w] = b.t[w] | b.f[w];
                        for (int i = 0; i < n; i++) v[i] = Bits.get(b.t, i) ? 1 : 0;
                        batch.longs[a] = v;
                        batch.argValid[a] = valid;
                    }
                    case Vec.OfLong l -> {
                        batch.longs[a] = l.v;
                        batch.argValid[a] = l.valid;
                    }
                    case Vec.OfDouble d -> {
                        batch.doubles[a] = d.v;
                        batch.argValid[a] = d.valid;
                    }
                    case Vec.OfString str -> {
                        batch.strings[a] = str.strings(n);
                        batch.argValid[a] = str.valid;
                    }
                    default -> throw new IllegalStateException("argument kernel " + arg);
                }
            }
        }
    }

    static final class UdfBool extends Vec.OfBool {
        private final Udf udf;
        private long[] values = new long[0];
        private long[] valid = new long[0];

        UdfBool(Udf udf) { this.udf = udf; }

        @Override
        public void eval(Rows r) {
            int n = r.n;
            ensure(n);
            if (values.length < n) {
                values = new long[Math.max(n, 64)];
                valid = new long[Bits.words(values.length)];
            }
            udf.call(r, values, null, null, valid);
            Kernels.fill(t, n, 0);
            Kernels.fill(f, n, 0);
            for (int i = 0; i < n; i++) {
                if (!Bits.get(valid, i)) continue;
                if (values[i] != 0) t[i >>> 6] |= 1L << i;
                else f[i >>> 6] |= 1L << i;
            }
        }
    }

    static final class UdfLong extends Vec.OfLong {
        private final Udf udf;

        UdfLong(Udf udf) { this.udf = udf; }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            udf.call(r, v, null, null, valid);
        }
    }

    static final class UdfDouble extends Vec.OfDouble {
        private final Udf udf;

        UdfDouble(Udf udf) { this.udf = udf; }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            udf.call(r, null, v, null, valid);
        }
    }

    static final class UdfString extends Vec.OfString {
        private final Udf udf;

        UdfString(Udf udf) { this.udf = udf; }

        @Override
        public void eval(Rows r) {
            ensure(r.n);
            udf.call(r, null, null, v, valid);
        }
    }

    /**
     * Any-match: a leaf predicate that reads array fields is evaluated on one inner row per
     * combination of their elements; a document is TRUE if one of its rows is, FALSE if all are
     * (or it has none: an empty array), UNKNOWN otherwise. A document without the field gets one
     * row that reads nothing (UNKNOWN).
     *
     * <p>Combinations are counted in a long and tried in chunks of {@value #CHUNK} rows, so the
     * memory used stays the same however many there are; the query's deadline is checked between
     * chunks, and a document stops being tried once one of its rows is TRUE. A document with more
     * than {@value #MAX_COMBINATIONS} combinations is refused with an error naming it: the answer
     * is exact or there is none, never a wrong one.
     */
    static final class AnyMatch extends Vec.OfBool {
        static final int CHUNK = 4096;
        static final long MAX_COMBINATIONS = 100_000_000L;
        /** Heap per inner row besides the slots, near enough: doc, parent and a few 8-byte kernel values. */
        private static final long ROW_BYTES = 48;
        private final FieldColumn[] slots;
        private final Vec.OfBool inner;
        private final Rows rows;
        private final int[] parent = new int[CHUNK];
        private final int[] counts;
        private final int[] starts;
        private boolean reserved;

        AnyMatch(FieldColumn[] slots, Vec.OfBool inner, Rows rows) {
            this.slots = slots;
            this.inner = inner;
            this.rows = rows;
            this.counts = new int[slots.length];
            this.starts = new int[slots.length];
            rows.elem = new int[slots.length][CHUNK];
            rows.ensure(CHUNK);
        }

        @Override
        public void eval(Rows outer) {
            if (!reserved) {
                rows.run.memory().reserve(CHUNK * (ROW_BYTES + 4L * slots.length), "the any-match rows");
                reserved = true;
            }
            int n = outer.n;
            ensure(n);
            int words = Bits.words(n);
            java.util.Arrays.fill(t, 0, words, 0L);
            // f starts all-FALSE and loses every document with a row that is not FALSE
            java.util.Arrays.fill(f, 0, words, -1L);
            int m = 0;
            for (int i = 0; i < n; i++) {
                int d = outer.doc[i];
                long combos = 1;
                for (int s = 0; s < slots.length; s++) {
                    boolean present = slots[s].isPresent(d);
                    counts[s] = present ? slots[s].elementCount(d) : -1; // -1: absent, one row reading nothing
                    starts[s] = present ? slots[s].elementStart(d) : -1;
                    combos *= Math.max(counts[s], counts[s] < 0 ? 1 : 0);
                    if (combos > MAX_COMBINATIONS) throw tooMany(d);
                }
                for (long k = 0; k < combos; k++) {
                    if (Bits.get(t, i)) break; // TRUE already: no other combination can change that
                    long rest = k;
                    for (int s = 0; s < slots.length; s++) {
                        int c = Math.max(counts[s], 1);
                        rows.elem[s][m] = counts[s] < 0 ? -1 : starts[s] + (int) (rest % c);
                        rest /= c;
                    }
                    rows.doc[m] = d;
                    parent[m] = i;
                    if (++m == CHUNK) {
                        flush(m);
                        m = 0;
                        outer.run.checkDeadline("while trying the element combinations of document '" + outer.segment.id(d) + "'");
                    }
                }
            }
            if (m > 0) flush(m);
            for (int w = 0; w < words; w++) f[w] &= ~t[w];
        }

        /** Evaluates the leaf on rows {@code 0..m) and folds their truth into their documents. */
        private void flush(int m) {
            rows.n = m;
            rows.base = -1;
            rows.generation++;
            inner.eval(rows);
            for (int j = 0; j < m; j++) {
                int i = parent[j];
                if (Bits.get(inner.t, j)) t[i >>> 6] |= 1L << i;
                if (!Bits.get(inner.f, j)) f[i >>> 6] &= ~(1L << i);
            }
        }

        private StrataException tooMany(int doc) {
            StringBuilder sizes = new StringBuilder();
            for (int s = 0; s < slots.length; s++) {
                if (s > 0) sizes.append(" x ");
                sizes.append(slots[s].name()).append(" (").append(slots[s].isPresent(doc) ? Integer.toString(slots[s].elementCount(doc))
                        : "missing").append(')');
            }
            return new StrataException(ErrorCode.TOO_MANY_COMBINATIONS, "a condition over several arrays would try every combination of "
                    + sizes + " for document '" + rows.segment.id(doc) + "', more than " + MAX_COMBINATIONS
                    + "; compare the arrays with a UDF or keep one of them smaller");
        }
    }

}
