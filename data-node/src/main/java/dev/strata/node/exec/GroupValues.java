package dev.strata.node.exec;

import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.CompiledValue;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.spi.SortKeys;
import dev.strata.core.value.ValueKind;
import dev.strata.node.plan.Grouping;

/**
 * The values a group key or an aggregate reads from one segment, a batch of matches at a time,
 * into typed rows ({@link SortKeys}) so nothing is boxed for numbers. A bare field gives every
 * non-null element of the document (an array's elements; objects are left out, as columns do not
 * keep them); a computed value gives at most one. Null and missing give none.
 */
final class GroupValues {
    private final FieldColumn column;
    private final CompiledValue.Bound bound;
    private final boolean field;
    private final SortKeys computed = new SortKeys();
    private String[] decoded; // a segment's strings, decoded once per code
    private int[] docs;
    private final ExecutionContext run;

    GroupValues(Grouping.Input input, Segment s, ExecutionContext run) {
        this.run = run;
        this.field = input.field() != null;
        this.column = field ? s.column(input.field()) : null;
        this.bound = field ? null : input.value().bind(s, run);
    }

    /** Reads the values of {@code docs[0..n)}; call before {@link #read} for any of them. */
    void load(int[] docs, int n) {
        this.docs = docs;
        if (!field) bound.evaluateKeys(docs, n, null, computed);
    }

    /** The column when the input is a bare field the segment has, else null (for fast paths). */
    FieldColumn column() { return column; }

    /** The column when the input is a bare field with at most one element per document (element d is document d), else null. */
    FieldColumn singleValued() { return column != null && column.isSingleValued() ? column : null; }

    /** The document of row {@code i} of the loaded batch. */
    int doc(int i) { return docs[i]; }

    /** Puts row {@code i}'s non-null values into rows {@code 0..} of {@code out} and says how many. */
    int read(int i, SortKeys out) {
        if (!field) {
            if (computed.kinds[i] == null) return 0;
            out.ensure(1);
            out.copy(0, computed, i);
            return 1;
        }
        if (column == null) return 0;
        int d = docs[i];
        int start;
        int n;
        if (column.isSingleValued()) {
            if (!column.hasElement(d)) return 0;
            start = d;
            n = 1;
        } else {
            n = column.elementCount(d);
            if (n == 0) return 0;
            start = column.elementStart(d);
        }
        out.ensure(n);
        int m = 0;
        for (int e = start; e < start + n; e++) {
            ValueKind k = column.elementKind(e);
            if (k == null) continue;
            switch (k) {
                case INT -> out.setInt(m++, column.longAt(e));
                case FLOAT -> out.setFloat(m++, column.doubleAt(e));
                case STRING -> out.setString(m++, string((int) column.longAt(e)));
                case BOOL, DATE, TIMESTAMP -> out.setPayload(m++, k, column.longAt(e));
                default -> { } // null, and objects (columns do not keep them)
            }
        }
        return m;
    }

    private String string(int code) {
        if (decoded == null) {
            run.memory().reserve(8L * column.dictionary().size(), "the decoded strings of " + column.name());
            decoded = new String[column.dictionary().size()];
        }
        String s = decoded[code];
        if (s == null) decoded[code] = s = column.dictionary().get(code);
        return s;
    }
}
