package dev.strata.node.exec;

import dev.strata.core.segment.FieldColumn;
import dev.strata.core.segment.Segment;
import dev.strata.core.spi.ExecutionContext;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Value;
import dev.strata.core.value.ValueKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Value counts per field over all the matches of a query, beside its hits (a search engine's
 * facets), computed on the columns: a string value is counted by its dictionary code for a segment
 * and decoded once per distinct value. A document counts once in each bucket of its values (an
 * array's repeated values count once); an explicit null is a bucket of its own; a document without
 * the field counts as {@code missing}. Objects are not counted (columns do not keep them).
 */
public final class Facets {
    /** One field's counts: the largest buckets (count descending, then value), how many values were left out, and documents without it. */
    public record Field(String name, List<Bucket> buckets, long otherCount, long missing) implements java.io.Serializable {}

    public record Bucket(Value value, long count) implements java.io.Serializable {}

    /**
     * Shards' counts as one: each shard's fields counted with every bucket (no size cut, so
     * nothing is in {@code otherCount}), added value by value, then cut to the largest {@code size}
     * as one node cuts them. Exact: the same buckets, counts, other and missing as one node.
     */
    public static List<Field> merge(List<List<Field>> shards, int size) {
        if (shards.isEmpty()) return List.of();
        List<Field> out = new ArrayList<>();
        for (int f = 0; f < shards.get(0).size(); f++) {
            Map<Value, Long> counts = new HashMap<>();
            long missing = 0;
            long other = 0;
            for (List<Field> shard : shards) {
                Field field = shard.get(f);
                for (Bucket b : field.buckets()) counts.merge(b.value(), b.count(), Long::sum);
                missing += field.missing();
                other += field.otherCount();
            }
            out.add(cut(shards.get(0).get(f).name(), counts, size, other, missing));
        }
        return out;
    }

    private static Field cut(String name, Map<Value, Long> counts, int size, long other, long missing) {
        List<Bucket> all = new ArrayList<>();
        counts.forEach((v, n) -> all.add(new Bucket(v, n)));
        all.sort(Comparator.comparingLong(Bucket::count).reversed().thenComparing(Bucket::value, ValueOrder::compare));
        for (int i = size; i < all.size(); i++) other += all.get(i).count();
        return new Field(name, List.copyOf(all.subList(0, Math.min(size, all.size()))), other, missing);
    }

    private final List<FieldPath> paths;
    private final List<String> names;
    private final int size;
    private final List<Map<Value, Long>> counts = new ArrayList<>();
    private final long[] missing;
    private int[][] codeCounts;
    private int segment = -1;
    private Segment current;

    Facets(List<FieldPath> paths, List<String> names, int size) {
        this.paths = List.copyOf(paths);
        this.names = List.copyOf(names);
        this.size = size;
        for (int i = 0; i < paths.size(); i++) counts.add(new HashMap<>());
        this.missing = new long[paths.size()];
    }

    /** Counts the values of {@code docs[0..count)}, documents of segment {@code si}. */
    void add(int si, Segment s, int[] docs, int count, ExecutionContext run) {
        if (si != segment) {
            finishSegment();
            segment = si;
            current = s;
            codeCounts = new int[paths.size()][];
        }
        Set<Value> seen = new HashSet<>();
        for (int f = 0; f < paths.size(); f++) {
            FieldColumn c = s.column(paths.get(f));
            if (c == null) {
                missing[f] += count;
                continue;
            }
            Map<Value, Long> byValue = counts.get(f);
            if (c.isSingleValued() && c.kinds().equals(Set.of(ValueKind.STRING))) {
                // the common keyword column: one string or nothing per document, counted by code
                if (codeCounts[f] == null) {
                    run.memory().reserve(4L * c.dictionary().size(), "the facet counts of " + names.get(f));
                    codeCounts[f] = new int[c.dictionary().size()];
                }
                int[] byCode = codeCounts[f];
                for (int i = 0; i < count; i++) {
                    int d = docs[i];
                    if (c.hasKind(ValueKind.STRING, d)) byCode[(int) c.longAt(d)]++;
                    else missing[f]++;
                }
                continue;
            }
            for (int i = 0; i < count; i++) {
                int d = docs[i];
                int n = c.elementCount(d);
                if (n == 0) {
                    missing[f]++;
                    continue;
                }
                int start = c.elementStart(d);
                if (n > 1) seen.clear();
                for (int e = start; e < start + n; e++) {
                    ValueKind k = c.elementKind(e);
                    if (k == null || k == ValueKind.OBJECT) continue;
                    if (k == ValueKind.STRING && n == 1) {
                        if (codeCounts[f] == null) {
                            run.memory().reserve(4L * c.dictionary().size(), "the facet counts of " + names.get(f));
                            codeCounts[f] = new int[c.dictionary().size()];
                        }
                        codeCounts[f][(int) c.longAt(e)]++;
                        continue;
                    }
                    Value v = c.elementValue(e);
                    if (n > 1 && !seen.add(v)) continue; // a repeated value counts once per document
                    byValue.merge(v, 1L, Long::sum);
                }
            }
        }
    }

    /** The counts, the largest {@code size} buckets of each field. */
    List<Field> result() {
        finishSegment();
        List<Field> out = new ArrayList<>();
        for (int f = 0; f < paths.size(); f++) out.add(cut(names.get(f), counts.get(f), size, 0, missing[f]));
        return out;
    }

    /** Moves a finished segment's code counts into the value counts: one decode per distinct value. */
    private void finishSegment() {
        if (current == null || codeCounts == null) return;
        for (int f = 0; f < paths.size(); f++) {
            int[] byCode = codeCounts[f];
            if (byCode == null) continue;
            var dictionary = current.column(paths.get(f)).dictionary();
            for (int code = 0; code < byCode.length; code++) {
                if (byCode[code] > 0) counts.get(f).merge(Value.of(dictionary.get(code)), (long) byCode[code], Long::sum);
            }
        }
        codeCounts = null;
        current = null;
    }
}
