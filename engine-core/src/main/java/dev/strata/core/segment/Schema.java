package dev.strata.core.segment;

import dev.strata.core.value.FieldPath;
import dev.strata.core.value.ValueKind;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The kinds of value seen under each flattened path, across the segments a query will read. The
 * type checker uses it: a path whose kinds cannot meet an operand's type is a compile error.
 */
public final class Schema {
    public static final Schema EMPTY = new Schema(Map.of());

    private final Map<String, Set<ValueKind>> kinds;

    private Schema(Map<String, Set<ValueKind>> kinds) { this.kinds = kinds; }

    static Schema ofColumns(Map<String, FieldColumn> columnsByKey) {
        Map<String, Set<ValueKind>> m = new HashMap<>();
        columnsByKey.forEach((key, c) -> m.put(key, c.kinds().isEmpty() ? Set.of() : EnumSet.copyOf(c.kinds())));
        return new Schema(Map.copyOf(m));
    }

    /** A schema from explicit kinds per path (for tests and tools). */
    public static Schema of(Map<FieldPath, Set<ValueKind>> byPath) {
        Map<String, Set<ValueKind>> m = new HashMap<>();
        byPath.forEach((p, k) -> m.put(p.columnKey(), Set.copyOf(k)));
        return new Schema(Map.copyOf(m));
    }

    /** The union of several schemas (one per segment). */
    public static Schema union(Collection<Schema> schemas) {
        Map<String, Set<ValueKind>> m = new HashMap<>();
        for (Schema s : schemas) {
            s.kinds.forEach((k, v) -> m.computeIfAbsent(k, x -> EnumSet.noneOf(ValueKind.class)).addAll(v));
        }
        return new Schema(Map.copyOf(m));
    }

    /** Whether any document has the path. */
    public boolean knows(FieldPath path) { return kinds.containsKey(path.columnKey()); }

    /** Kinds of the elements under {@code path} (empty if never seen or only empty arrays). */
    public Set<ValueKind> kindsOf(FieldPath path) { return kinds.getOrDefault(path.columnKey(), Set.of()); }

    /** Every path and its kinds, keyed by {@link FieldPath#columnKey()}. */
    public Map<String, Set<ValueKind>> byColumnKey() { return kinds; }

    @Override
    public boolean equals(Object o) { return o instanceof Schema s && s.kinds.equals(kinds); }

    @Override
    public int hashCode() { return kinds.hashCode(); }
}
