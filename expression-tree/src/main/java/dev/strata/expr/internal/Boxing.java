package dev.strata.expr.internal;

import dev.strata.core.value.Value;

/** Boxes one row of a kernel's result, for the few values a page returns (SELECT items); never in a filter loop. */
public final class Boxing {
    private Boxing() {}

    public static Value box(Vec vec, Type type, int i, int n) { return CallKernels.box(vec, type, i, n); }
}
