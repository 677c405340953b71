package dev.strata.node.plan;

import dev.strata.node.index.Bound;
import dev.strata.node.index.SegmentIndex;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.util.List;
import java.util.stream.Collectors;
import org.roaringbitmap.RoaringBitmap;

/**
 * A tree of index lookups whose result, per segment, is exactly the set of documents for which
 * the clause it came from is TRUE. Immutable; evaluated once per segment per query.
 */
public sealed interface IndexPlan {
    /** The TRUE set in one segment, as a bitmap the caller owns. */
    RoaringBitmap evaluate(SegmentIndex index);

    /** Which index this uses, for explain. */
    String describe();

    /** Every document. */
    record All() implements IndexPlan {
        public RoaringBitmap evaluate(SegmentIndex index) { return index.all(); }
        public String describe() { return "all"; }
    }

    /** Documents in which the path reaches a key. */
    record Exists(String columnKey, String field) implements IndexPlan {
        public RoaringBitmap evaluate(SegmentIndex index) { return index.exists(columnKey); }
        public String describe() { return "exists(" + field + ")"; }
    }

    /** Documents with an element of the family inside the range (equality is a one-point range). */
    record Range(String columnKey, String field, SegmentIndex.Family family, Bound lower, Bound upper) implements IndexPlan {
        public RoaringBitmap evaluate(SegmentIndex index) { return index.range(columnKey, family, lower, upper); }

        public String describe() {
            String kind = family == SegmentIndex.Family.STRING ? "keyword" : "range";
            if (lower != null && upper != null && lower.value().equals(upper.value()) && lower.inclusive() && upper.inclusive()) {
                return kind + "(" + field + " = " + show(lower.value()) + ")";
            }
            return kind + "(" + field + " in " + (lower == null ? "(-inf" : (lower.inclusive() ? "[" : "(") + show(lower.value()))
                    + ", " + (upper == null ? "+inf)" : show(upper.value()) + (upper.inclusive() ? "]" : ")")) + ")";
        }

        private static String show(Value v) { return Json.write(v); }
    }

    record And(List<IndexPlan> parts) implements IndexPlan {
        public And { parts = List.copyOf(parts); }

        public RoaringBitmap evaluate(SegmentIndex index) {
            RoaringBitmap r = parts.get(0).evaluate(index);
            for (int i = 1; i < parts.size() && !r.isEmpty(); i++) r.and(parts.get(i).evaluate(index));
            return r;
        }

        public String describe() { return parts.stream().map(IndexPlan::describe).collect(Collectors.joining(" AND ", "(", ")")); }
    }

    record Or(List<IndexPlan> parts) implements IndexPlan {
        public Or { parts = List.copyOf(parts); }

        public RoaringBitmap evaluate(SegmentIndex index) {
            RoaringBitmap r = parts.get(0).evaluate(index);
            for (int i = 1; i < parts.size(); i++) r.or(parts.get(i).evaluate(index));
            return r;
        }

        public String describe() { return parts.stream().map(IndexPlan::describe).collect(Collectors.joining(" OR ", "(", ")")); }
    }

    /** {@code include} without {@code exclude}; used only where {@code exclude} is two-valued. */
    record AndNot(IndexPlan include, IndexPlan exclude) implements IndexPlan {
        public RoaringBitmap evaluate(SegmentIndex index) {
            RoaringBitmap r = include.evaluate(index);
            r.andNot(exclude.evaluate(index));
            return r;
        }

        public String describe() { return "(" + include.describe() + " ANDNOT " + exclude.describe() + ")"; }
    }
}
