package dev.strata.node.exec;

import dev.strata.core.ast.AggregateFunction;
import dev.strata.core.segment.FieldColumn;
import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One aggregate's running state for every group, in primitive arrays indexed by group. A value
 * arrives as row {@code j} of a {@link SortKeys}; null and missing never arrive ({@link
 * GroupValues} leaves them out), so {@code COUNT(x)} counts values and the others skip documents
 * without one, as SQL does.
 */
abstract class Accumulators {
    /** Makes room for groups {@code [0, groups)}. */
    abstract void grow(int groups);

    /** Adds {@code count} values of {@code values} (rows 0..count) to group {@code g}. */
    abstract void add(int g, SortKeys values, int count);

    /** Adds one document without reading a value ({@code COUNT(*)} only). */
    void addDocument(int g) { throw new IllegalStateException("reads values"); }

    /**
     * Adds rows {@code rows[0..count)} of the loaded batch, row {@code rows[i]} to group {@code
     * groups[i]}, reading each row's values from {@code in} (null for {@code COUNT(*)}). Fast paths
     * override it to read a column in place.
     */
    void addRows(int[] groups, int[] rows, int count, GroupValues in, SortKeys scratch) {
        if (in == null) {
            for (int i = 0; i < count; i++) addDocument(groups[i]);
            return;
        }
        for (int i = 0; i < count; i++) {
            int m = in.read(rows[i], scratch);
            if (m > 0) add(groups[i], scratch, m);
        }
    }

    /** Group {@code g}'s result. */
    abstract Value result(int g);

    /** Group {@code g}'s running state as a value, which {@link #mergeState} adds to another accumulator's group. */
    abstract Value state(int g);

    /** Adds another accumulator's {@link #state} of the same group into group {@code g}. */
    abstract void mergeState(int g, Value state);

    /** Heap per group, near enough, for the memory budget. */
    abstract long bytesPerGroup();

    /** Heap held besides the per-group arrays (distinct values). */
    long extraBytes() { return 0; }

    static Accumulators of(AggregateFunction f, boolean distinct, boolean star) {
        if (star) return new Count();
        if (distinct) return new CountDistinct();
        return switch (f) {
            case COUNT -> new Count();
            case SUM -> new Sum(false);
            case AVG -> new Sum(true);
            case MIN -> new Extreme(false);
            case MAX -> new Extreme(true);
        };
    }

    /** {@code COUNT(*)} (documents) and {@code COUNT(x)} (non-null values). */
    static final class Count extends Accumulators {
        private long[] n = new long[0];

        @Override
        void grow(int groups) { if (n.length < groups) n = Arrays.copyOf(n, Math.max(groups, n.length * 2)); }

        @Override
        void add(int g, SortKeys values, int count) { n[g] += count; }

        @Override
        void addDocument(int g) { n[g]++; }

        @Override
        void addRows(int[] groups, int[] rows, int count, GroupValues in, SortKeys scratch) {
            if (in != null) {
                super.addRows(groups, rows, count, in, scratch);
                return;
            }
            for (int i = 0; i < count; i++) n[groups[i]]++;
        }

        @Override
        Value result(int g) { return Value.of(n[g]); }

        @Override
        Value state(int g) { return Value.of(n[g]); }

        @Override
        void mergeState(int g, Value state) { n[g] += ((Value.IntValue) state).value(); }

        @Override
        long bytesPerGroup() { return 8; }
    }

    /**
     * {@code SUM} and {@code AVG} over numbers (other values are skipped): ints add exactly in a
     * long while it fits, then spill into the float sum; a SUM with a float in it, or past 64 bits,
     * is a float. No number: null.
     */
    static final class Sum extends Accumulators {
        private final boolean average;
        private long[] ints = new long[0];
        private double[] floats = new double[0];
        private long[] n = new long[0];
        private boolean[] inexact = new boolean[0];

        Sum(boolean average) { this.average = average; }

        @Override
        void grow(int groups) {
            if (n.length >= groups) return;
            int size = Math.max(groups, n.length * 2);
            ints = Arrays.copyOf(ints, size);
            floats = Arrays.copyOf(floats, size);
            n = Arrays.copyOf(n, size);
            inexact = Arrays.copyOf(inexact, size);
        }

        @Override
        void add(int g, SortKeys values, int count) {
            for (int j = 0; j < count; j++) {
                ValueKind k = values.kinds[j];
                if (k == ValueKind.INT) addInt(g, values.payloads[j]);
                else if (k == ValueKind.FLOAT) addFloat(g, values.numbers[j]);
            }
        }

        /** A numeric column with one value per document is read in place: no row is copied. */
        @Override
        void addRows(int[] groups, int[] rows, int count, GroupValues in, SortKeys scratch) {
            FieldColumn c = in.singleValued();
            if (c == null) {
                super.addRows(groups, rows, count, in, scratch);
                return;
            }
            boolean floatsThere = c.kinds().contains(ValueKind.FLOAT);
            boolean intsThere = c.kinds().contains(ValueKind.INT);
            for (int i = 0; i < count; i++) {
                int d = in.doc(rows[i]);
                if (floatsThere && c.hasKind(ValueKind.FLOAT, d)) addFloat(groups[i], c.doubleAt(d));
                else if (intsThere && c.hasKind(ValueKind.INT, d)) addInt(groups[i], c.longAt(d));
            }
        }

        private void addInt(int g, long x) {
            addExactly(g, x);
            n[g]++;
        }

        /** Adds {@code x} to the exact int sum; on overflow the sum so far moves to the float sum. */
        private void addExactly(int g, long x) {
            long s = ints[g] + x;
            if (((ints[g] ^ s) & (x ^ s)) < 0) {
                floats[g] += ints[g];
                s = x;
                inexact[g] = true;
            }
            ints[g] = s;
        }

        private void addFloat(int g, double x) {
            floats[g] += x;
            inexact[g] = true;
            n[g]++;
        }

        @Override
        Value result(int g) {
            if (n[g] == 0) return Value.NULL;
            if (average) return Value.of((ints[g] + floats[g]) / n[g]);
            return inexact[g] ? Value.of(ints[g] + floats[g]) : Value.of(ints[g]);
        }

        @Override
        Value state(int g) {
            return new Value.ArrayValue(List.of(Value.of(ints[g]), Value.of(floats[g]), Value.of(n[g]), Value.of(inexact[g])));
        }

        @Override
        void mergeState(int g, Value state) {
            List<Value> s = ((Value.ArrayValue) state).elements();
            if (((Value.IntValue) s.get(2)).value() == 0) return;
            addExactly(g, ((Value.IntValue) s.get(0)).value());
            floats[g] += ((Value.FloatValue) s.get(1)).value();
            n[g] += ((Value.IntValue) s.get(2)).value();
            inexact[g] |= ((Value.BoolValue) s.get(3)).value();
        }

        @Override
        long bytesPerGroup() { return 25; }
    }

    /** {@code MIN} and {@code MAX} in ORDER BY's order (values of different kinds by kind). */
    static final class Extreme extends Accumulators {
        private final boolean max;
        private final SortKeys best = new SortKeys();

        Extreme(boolean max) { this.max = max; }

        @Override
        void grow(int groups) { best.ensure(groups); }

        @Override
        void add(int g, SortKeys values, int count) {
            for (int j = 0; j < count; j++) {
                if (best.kinds[g] == null || SortKeys.compare(values, j, best, g, max) < 0) best.copy(g, values, j);
            }
        }

        @Override
        Value result(int g) { return best.value(g); }

        @Override
        Value state(int g) { return best.value(g); }

        @Override
        void mergeState(int g, Value state) {
            if (state instanceof Value.NullValue) return;
            SortKeys one = new SortKeys();
            one.ensure(1);
            Ranking.set(one, state);
            add(g, one, 1);
        }

        @Override
        long bytesPerGroup() { return 40; }
    }

    /** {@code COUNT(DISTINCT x)}: the distinct non-null values ({@code 1} and {@code 1.0} are one). */
    static final class CountDistinct extends Accumulators {
        private final List<Set<Value>> seen = new ArrayList<>();
        private long held;

        @Override
        void grow(int groups) { while (seen.size() < groups) seen.add(null); }

        @Override
        void add(int g, SortKeys values, int count) {
            for (int j = 0; j < count; j++) {
                Set<Value> s = seen.get(g);
                if (s == null) seen.set(g, s = new HashSet<>());
                if (s.add(ValueOrder.canonical(values.value(j)))) held += 64;
            }
        }

        @Override
        Value result(int g) { return Value.of(seen.get(g) == null ? 0L : seen.get(g).size()); }

        @Override
        Value state(int g) { return new Value.ArrayValue(seen.get(g) == null ? List.of() : new ArrayList<>(seen.get(g))); }

        @Override
        void mergeState(int g, Value state) {
            for (Value v : ((Value.ArrayValue) state).elements()) {
                Set<Value> s = seen.get(g);
                if (s == null) seen.set(g, s = new HashSet<>());
                if (s.add(v)) held += 64;
            }
        }

        @Override
        long bytesPerGroup() { return 8; }

        @Override
        long extraBytes() { return held; }
    }
}
