package dev.strata.expr.internal;

import dev.strata.core.value.Value;

/** Public door to boxing a kernel's result, for results and sort keys (never in a filter loop). */
public final class Boxing {
    private Boxing() {}

    public static Value box(Vec vec, Type type, int i, int n) { return CallKernels.box(vec, type, i, n); }
}
