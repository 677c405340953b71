package dev.strata.expr;

import java.util.List;
import java.util.Map;

/** The built-in function library: name, argument types and result type. */
public final class Functions {
    private Functions() {}

    /** Argument kinds: "string", "number", "float"; a trailing "..." repeats the last one. */
    public record Signature(String name, List<String> args, String result, String description) {}

    public static final Map<String, Signature> ALL = Map.ofEntries(
            entry("lower", List.of("string"), "string", "lower-cases (Unicode, locale-independent)"),
            entry("upper", List.of("string"), "string", "upper-cases (Unicode, locale-independent)"),
            entry("length", List.of("string"), "int", "number of code points"),
            entry("abs", List.of("number"), "same", "absolute value; abs of the smallest int is an overflow error"),
            entry("concat", List.of("string", "string", "..."), "string", "joins strings; null if any is null"),
            entry("starts_with", List.of("string", "string"), "bool", "whether the first starts with the second"),
            entry("ends_with", List.of("string", "string"), "bool", "whether the first ends with the second"),
            entry("contains", List.of("string", "string"), "bool", "whether the first contains the second"),
            entry("floor", List.of("number"), "float", "largest integral float not above"),
            entry("ceil", List.of("number"), "float", "smallest integral float not below"),
            entry("round", List.of("number"), "float", "nearest integral float, halves away from zero"));

    private static Map.Entry<String, Signature> entry(String name, List<String> args, String result, String description) {
        return Map.entry(name, new Signature(name, args, result, description));
    }

    /** Rounds half away from zero, as SQL engines do. */
    public static double round(double x) {
        double r = Math.floor(Math.abs(x) + 0.5);
        if (r - Math.abs(x) > 0.5) r -= 1; // guard against 0.49999999999999994 + 0.5 rounding up
        return Math.copySign(r, x);
    }
}
