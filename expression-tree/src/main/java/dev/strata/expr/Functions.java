package dev.strata.expr;

import dev.strata.expr.internal.Builtin;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The built-in function library as users see it: name, argument kinds, result and description (the table is {@code internal.Builtin}). */
public final class Functions {
    private Functions() {}

    /** Argument kinds: "string", "number", "temporal"; a trailing "..." repeats the last one. Result "same": the arguments' numeric type; "temporal": the temporal argument's type. */
    public record Signature(String name, List<String> args, String result, String description) {}

    public static final Map<String, Signature> ALL = Arrays.stream(Builtin.values())
            .map(b -> new Signature(b.functionName(), b.args(), b.result(), b.description()))
            .collect(Collectors.toUnmodifiableMap(Signature::name, s -> s));
}
