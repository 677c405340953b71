package dev.strata.node.exec;

import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import dev.strata.node.plan.Grouping;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups a query's matches and runs its aggregates over them on the columns, a batch at a time:
 * no stored source is read. A document counts once in each group its key values make (a bare
 * field's array gives one value per distinct element; several keys, every combination); a
 * document whose key is null or missing is in the group whose key is null. Values are grouped by
 * {@link ValueOrder#canonical} (so {@code 1} and {@code 1.0} are one group). With no GROUP BY,
 * all matches form one group, which exists even when nothing matched (COUNT 0, SUM null), as in SQL.
 *
 * <p>A string key read from a bare field is looked up once per dictionary code and segment, so
 * the common {@code GROUP BY category} hashes each distinct value once per segment, not per row.
 * One aggregator per run; not thread-safe.
 */
final class Aggregator {
    /** Heap per group besides its accumulators: the key values and the map entry, near enough. */
    private static final long GROUP_BYTES = 120;

    private final Grouping grouping;
    private final ExecutionContext run;
    private final Map<Object, Integer> ids = new HashMap<>();
    private final List<Value[]> keyValues = new ArrayList<>();
    private final Accumulators[] accumulators;
    private long held;
    private long reserved;

    // the segment being read
    private GroupValues[] keys;
    private GroupValues[] inputs;
    private int[] groupOfCode; // one key read from a bare field: the group of each string code, -1 before its first use
    private final SortKeys scratch = new SortKeys();
    private final List<SortKeys> keyScratch = new ArrayList<>();
    private int[] rowGroups = new int[16];
    private int[] batchGroups = new int[0];
    private int[] batchRows = new int[0];

    Aggregator(Grouping grouping, ExecutionContext run) {
        this.grouping = grouping;
        this.run = run;
        this.accumulators = new Accumulators[grouping.aggregates().size()];
        for (int a = 0; a < accumulators.length; a++) {
            Grouping.Aggregate ag = grouping.aggregates().get(a);
            accumulators[a] = Accumulators.of(ag.function(), ag.distinct(), ag.input() == null);
        }
        for (int k = 0; k < grouping.keys().size(); k++) keyScratch.add(new SortKeys());
        if (grouping.keys().isEmpty()) group(List.of()); // the one group, even when nothing matches
    }

    /** Binds the keys and aggregate inputs to the next segment. */
    void startSegment(Segment s) {
        keys = new GroupValues[grouping.keys().size()];
        for (int k = 0; k < keys.length; k++) keys[k] = new GroupValues(grouping.keys().get(k).input(), s, run);
        inputs = new GroupValues[accumulators.length];
        for (int a = 0; a < inputs.length; a++) {
            Grouping.Input in = grouping.aggregates().get(a).input();
            if (in != null) inputs[a] = new GroupValues(in, s, run);
        }
        groupOfCode = null;
        if (keys.length == 1 && keys[0].column() != null && keys[0].column().kinds().contains(ValueKind.STRING)) {
            FieldColumn c = keys[0].column();
            run.memory().reserve(4L * c.dictionary().size(), "the group of each value of " + grouping.keys().get(0).text());
            groupOfCode = new int[c.dictionary().size()];
            Arrays.fill(groupOfCode, -1);
        }
    }

    /**
     * Adds the matches {@code docs[0..n)} of the current segment. Rows in exactly one group (all
     * of them, unless a key is an array) go to the accumulators as one batch; the others one by one.
     */
    void add(int[] docs, int n) {
        for (GroupValues k : keys) k.load(docs, n);
        for (GroupValues in : inputs) if (in != null) in.load(docs, n);
        if (batchGroups.length < n) {
            batchGroups = new int[n];
            batchRows = new int[n];
        }
        int single = 0;
        FieldColumn keyword = groupOfCode != null && keys[0].column().isSingleValued() ? keys[0].column() : null;
        for (int i = 0; i < n; i++) {
            if (keyword != null && keyword.hasKind(ValueKind.STRING, docs[i])) { // GROUP BY keyword: by code, inline
                int code = (int) keyword.longAt(docs[i]);
                int g = groupOfCode[code];
                if (g < 0) groupOfCode[code] = g = group(List.of(Value.of(keyword.dictionary().get(code))));
                batchRows[single] = i;
                batchGroups[single++] = g;
                continue;
            }
            int groups = groupsOf(docs, i);
            if (groups == 1) {
                batchRows[single] = i;
                batchGroups[single++] = rowGroups[0];
                continue;
            }
            for (int a = 0; a < accumulators.length; a++) {
                Accumulators acc = accumulators[a];
                if (inputs[a] == null) {
                    for (int j = 0; j < groups; j++) acc.addDocument(rowGroups[j]);
                    continue;
                }
                int values = inputs[a].read(i, scratch);
                if (values == 0) continue;
                for (int j = 0; j < groups; j++) acc.add(rowGroups[j], scratch, values);
            }
        }
        for (int a = 0; a < accumulators.length; a++) accumulators[a].addRows(batchGroups, batchRows, single, inputs[a], scratch);
        account();
    }

    /**
     * Puts the distinct groups of row {@code i} into {@code rowGroups} and says how many (a row of
     * a single-valued keyword key never comes here: {@link #add} looks it up by code).
     */
    private int groupsOf(int[] docs, int i) {
        if (keys.length == 0) {
            rowGroups[0] = 0;
            return 1;
        }
        // each key's distinct values (none: the null key), then every combination
        int combinations = 1;
        List<List<Value>> perKey = new ArrayList<>(keys.length);
        for (int k = 0; k < keys.length; k++) {
            SortKeys v = keyScratch.get(k);
            int m = keys[k].read(i, v);
            List<Value> distinct = new ArrayList<>(Math.max(m, 1));
            for (int j = 0; j < m; j++) {
                Value x = ValueOrder.canonical(v.value(j));
                if (!distinct.contains(x)) distinct.add(x);
            }
            if (distinct.isEmpty()) distinct.add(Value.NULL);
            perKey.add(distinct);
            combinations = Math.multiplyExact(combinations, distinct.size());
        }
        if (rowGroups.length < combinations) rowGroups = new int[Math.max(combinations, rowGroups.length * 2)];
        Value[] tuple = new Value[keys.length];
        for (int c = 0; c < combinations; c++) {
            int rest = c;
            for (int k = keys.length - 1; k >= 0; k--) {
                List<Value> vs = perKey.get(k);
                tuple[k] = vs.get(rest % vs.size());
                rest /= vs.size();
            }
            rowGroups[c] = group(List.of(tuple));
        }
        return combinations;
    }

    /** The id of the group with key {@code key}, made on first sight. */
    private int group(List<Value> key) {
        Object k = key.size() == 1 ? key.get(0) : key;
        Integer id = ids.get(k);
        if (id != null) return id;
        int g = keyValues.size();
        ids.put(k, g);
        keyValues.add(key.toArray(new Value[0]));
        long perGroup = GROUP_BYTES;
        for (Accumulators a : accumulators) {
            a.grow(g + 1);
            perGroup += a.bytesPerGroup();
        }
        held += perGroup;
        return g;
    }

    /** Reserves what the groups and distinct values hold beyond what is reserved, in steps of 64 KiB. */
    private void account() {
        long need = held;
        for (Accumulators a : accumulators) need += a.extraBytes();
        if (need - reserved < 65_536) return;
        run.memory().reserve(need - reserved, "the " + keyValues.size() + " groups of the query and their aggregates");
        reserved = need;
    }

    /** One row: its key values and its aggregates, as {@link Grouping} lists them. */
    record Row(Value[] keys, Value[] aggregates) {
        /** The value of key or aggregate {@code index}. */
        Value get(boolean key, int index) { return key ? keys[index] : aggregates[index]; }
    }

    /** Every group as a row, in the query's order. */
    private List<Row> rows() {
        List<Row> rows = new ArrayList<>(keyValues.size());
        for (int g = 0; g < keyValues.size(); g++) {
            Value[] aggs = new Value[accumulators.length];
            for (int a = 0; a < aggs.length; a++) aggs[a] = accumulators[a].result(g);
            rows.add(new Row(keyValues.get(g), aggs));
        }
        rows.sort(this::compare);
        return rows;
    }

    /** Compares two rows in the query's order (the group keys come last, so no two rows tie). */
    private int compare(Row a, Row b) {
        for (Grouping.Order o : grouping.order()) {
            int c = ValueOrder.compare(a.get(o.key(), o.index()), b.get(o.key(), o.index()), o.descending());
            if (c != 0) return c;
        }
        return 0;
    }

    /** The values a row sorts by, for a cursor. */
    private List<Value> sortValues(Row r) {
        List<Value> out = new ArrayList<>();
        for (Grouping.Order o : grouping.order()) out.add(r.get(o.key(), o.index()));
        return out;
    }

    /** This run's groups as a {@link GroupPartial}: key values and each aggregate's running state. */
    GroupPartial partial() {
        List<Value[]> states = new ArrayList<>(keyValues.size());
        for (int g = 0; g < keyValues.size(); g++) {
            Value[] st = new Value[accumulators.length];
            for (int a = 0; a < st.length; a++) st[a] = accumulators[a].state(g);
            states.add(st);
        }
        return new GroupPartial(keyValues, states);
    }

    /** Adds another run's groups: a group with the same key values merges its aggregates' states into this one's. */
    void merge(GroupPartial other) {
        for (int i = 0; i < other.keys().size(); i++) {
            int g = group(List.of(other.keys().get(i)));
            for (int a = 0; a < accumulators.length; a++) accumulators[a].mergeState(g, other.states().get(i)[a]);
        }
        account();
    }

    /** One page of rows, each its columns by name in SELECT order; where it ended when more follow; how many groups in all. */
    record Page(List<Map<String, Value>> rows, ResumeAfter next, long totalGroups) {}

    /**
     * The page of rows after {@code after} (a keyset over the rows' sort values, which end with
     * every group key, so no two rows tie) or, without a cursor, from {@code offset}; at most
     * {@code size} rows.
     */
    Page page(ResumeAfter after, long offset, long size) {
        List<Row> rows = rows();
        int from;
        if (after != null) {
            if (after.keys().size() != grouping.order().size()) {
                throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.INVALID_REQUEST, "the cursor holds "
                        + after.keys().size() + " sort value(s) but its query's rows sort by " + grouping.order().size()
                        + "; pass the \"next\" value of a reply as it is");
            }
            int lo = 0;
            int hi = rows.size();
            while (lo < hi) { // the first row past the cursor
                int mid = (lo + hi) >>> 1;
                if (compareWith(rows.get(mid), after.keys()) <= 0) lo = mid + 1;
                else hi = mid;
            }
            from = lo;
        } else {
            from = (int) Math.min(offset, rows.size());
        }
        int to = (int) Math.min(rows.size(), from + Math.min(size, Integer.MAX_VALUE));
        List<Map<String, Value>> page = new ArrayList<>(Math.max(0, to - from));
        for (int r = from; r < to; r++) {
            Map<String, Value> row = new java.util.LinkedHashMap<>();
            for (Grouping.Column c : grouping.columns()) row.put(c.name(), rows.get(r).get(c.key(), c.index()));
            page.add(row);
        }
        ResumeAfter next = to > from && to < rows.size() ? new ResumeAfter(sortValues(rows.get(to - 1)), Double.NaN, "") : null;
        return new Page(page, next, rows.size());
    }

    /** Compares a row with a cursor's sort values. */
    private int compareWith(Row r, List<Value> after) {
        for (int i = 0; i < grouping.order().size(); i++) {
            Grouping.Order o = grouping.order().get(i);
            int c = ValueOrder.compare(r.get(o.key(), o.index()), after.get(i), o.descending());
            if (c != 0) return c;
        }
        return 0;
    }
}
