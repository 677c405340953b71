package dev.strata.core.value;

import java.util.ArrayList;
import java.util.List;

/**
 * A path into a document: keys ({@code a.b.c}) and array positions ({@code tags[0]}).
 * Arrays on the way are flattened: {@code items.sku} reaches the {@code sku} of every object in
 * {@code items}, and a position picks from the flattened elements at that point.
 */
public record FieldPath(List<Step> steps) {
    public FieldPath {
        steps = List.copyOf(steps);
        if (steps.isEmpty() || !(steps.get(0) instanceof Key)) {
            throw new IllegalArgumentException("a field path starts with a key");
        }
    }

    /** One step of a path. */
    public sealed interface Step permits Key, Index {}

    public record Key(String name) implements Step {
        public Key {
            java.util.Objects.requireNonNull(name, "name");
        }
    }

    public record Index(int position) implements Step {
        public Index {
            if (position < 0) throw new IllegalArgumentException("negative array position");
        }
    }

    /** A path of keys only, e.g. {@code of("a", "b")} for {@code a.b}. */
    public static FieldPath of(String... keys) {
        List<Step> s = new ArrayList<>();
        for (String k : keys) s.add(new Key(k));
        return new FieldPath(s);
    }

    /** Parses the dotted form {@code a.b[2]} (no quoting; for tests, tools and column names). */
    public static FieldPath parseDotted(String dotted) {
        List<Step> s = new ArrayList<>();
        for (String part : dotted.split("\\.", -1)) {
            int bracket = part.indexOf('[');
            String key = bracket < 0 ? part : part.substring(0, bracket);
            s.add(new Key(key));
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                s.add(new Index(Integer.parseInt(part.substring(bracket + 1, close))));
                bracket = part.indexOf('[', close);
            }
        }
        return new FieldPath(s);
    }

    /** True when the path has no array positions. */
    public boolean isKeysOnly() { return steps.stream().allMatch(s -> s instanceof Key); }

    /** Separates keys in a {@link #columnKey()}; a key containing '.' must not collide with a nested path. */
    public static final char KEY_SEPARATOR = '\u001f';
    /** Escapes {@link #KEY_SEPARATOR} and itself inside a key, so that no key can collide with a nested path. */
    private static final char KEY_ESCAPE = '\u001e';

    /**
     * The keys without positions, escaped and joined by {@link #KEY_SEPARATOR}: where a segment
     * keeps the flattened values. Injective: two different key lists never give the same column key,
     * whatever characters the keys hold ({@code {"k\u001fz": 1}} is not {@code {"k": {"z": 1}}}).
     */
    public String columnKey() {
        String out = "";
        for (Step s : steps) if (s instanceof Key k) out = joinKey(out, k.name());
        return out;
    }

    /** The column key of {@code key} under the column key {@code prefix} ("" for a top-level key). */
    public static String joinKey(String prefix, String key) {
        String escaped = key.indexOf(KEY_SEPARATOR) < 0 && key.indexOf(KEY_ESCAPE) < 0 ? key
                : key.replace(String.valueOf(KEY_ESCAPE), KEY_ESCAPE + "0").replace(String.valueOf(KEY_SEPARATOR), KEY_ESCAPE + "1");
        return prefix.isEmpty() ? escaped : prefix + KEY_SEPARATOR + escaped;
    }

    /** The keys of a column key, unescaped. */
    public static List<String> keysOf(String columnKey) {
        List<String> keys = new ArrayList<>();
        for (String part : columnKey.split(String.valueOf(KEY_SEPARATOR), -1)) {
            keys.add(part.indexOf(KEY_ESCAPE) < 0 ? part
                    : part.replace(KEY_ESCAPE + "1", String.valueOf(KEY_SEPARATOR)).replace(KEY_ESCAPE + "0", String.valueOf(KEY_ESCAPE)));
        }
        return keys;
    }

    /** A column key as people read it: its keys joined by dots (for messages and listings). */
    public static String display(String columnKey) { return String.join(".", keysOf(columnKey)); }

    /** The same path without its array positions. */
    public FieldPath withoutPositions() {
        return new FieldPath(steps.stream().filter(s -> s instanceof Key).toList());
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Step s : steps) {
            switch (s) {
                case Key k -> {
                    if (!out.isEmpty()) out.append('.');
                    out.append(k.name());
                }
                case Index i -> out.append('[').append(i.position()).append(']');
            }
        }
        return out.toString();
    }
}
