package dev.strata.wasm.internal;

import dev.strata.core.value.FieldPath;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Field paths a module version asked for, each given a small integer once. Handles are stable for
 * the life of the module version, so a guest may keep them in globals across calls and queries; per
 * document it passes only the integer. The table is capped ({@code wasm.field-handles.max}) and so is
 * a path's length, so a guest asking for ever new names cannot grow the heap without bound.
 */
final class FieldHandles {
    /** Longest field path a guest may ask a handle for, in UTF-8 bytes. */
    static final int MAX_PATH_BYTES = 1024;

    private final int max;
    private final ConcurrentHashMap<String, Integer> byPath = new ConcurrentHashMap<>();
    private volatile FieldPath[] paths = new FieldPath[0];

    FieldHandles(int max) { this.max = max; }

    /**
     * The handle of {@code dotted}, or -1 when it is not a field path.
     *
     * @throws LimitExceeded when the table already holds {@code max} paths
     */
    int intern(String dotted) {
        Integer h = byPath.get(dotted);
        if (h != null) return h;
        synchronized (this) {
            h = byPath.get(dotted);
            if (h != null) return h;
            FieldPath p;
            try {
                p = FieldPath.parseDotted(dotted);
            } catch (RuntimeException e) {
                return -1;
            }
            FieldPath[] now = paths;
            if (now.length >= max) {
                throw new LimitExceeded("it asked for a handle for more than " + max + " distinct field paths (the limit per module"
                        + " version, setting wasm.field-handles.max); ask once per path and keep the handle");
            }
            FieldPath[] next = Arrays.copyOf(now, now.length + 1);
            next[now.length] = p;
            paths = next;
            byPath.put(dotted, now.length);
            return now.length;
        }
    }

    /** The path of handle {@code h}, or null when no such handle was given out. */
    FieldPath path(int h) {
        FieldPath[] p = paths;
        return h >= 0 && h < p.length ? p[h] : null;
    }

    int size() { return paths.length; }
}
