package dev.strata.core.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The signature syntax both UDF tiers share: {@code [deterministic | volatile] [batch | scalar]
 * (type, ...) -> type}. The words before the parenthesis may come in any order; the type names are
 * the tier's own (WebAssembly's {@code i64}, Python's {@code str}), so this class leaves them as
 * text for the tier to check.
 *
 * <p>{@code cost=N} (with {@code ns}, {@code us} or {@code ms}; nanoseconds when bare) declares what
 * one row costs, so the planner orders a clause calling it sensibly before it has measured it;
 * without it the tier's own estimate serves ({@link #costNanos} is NaN).
 *
 * <p>{@code deterministic} promises that the function's result depends on its arguments alone: no
 * document reads, no clock, no randomness, no state kept between calls. The node may then call it
 * once per distinct argument value and reuse the result. The default is {@code volatile}: called
 * for every row.
 */
public record SignatureSyntax(boolean deterministic, boolean batch, double costNanos, List<String> params, String result) {
    public SignatureSyntax {
        params = List.copyOf(params);
    }

    /**
     * Parses the shape; throws IllegalArgumentException quoting {@code text} and saying what is
     * wrong, with {@code example} as a signature that would be right.
     */
    public static SignatureSyntax parse(String text, String example) {
        String s = text.strip();
        int open = s.indexOf('(');
        int arrow = s.indexOf("->", Math.max(open, 0));
        int close = arrow < 0 ? -1 : s.lastIndexOf(')', arrow);
        if (open < 0 || arrow < 0 || close < open) {
            throw new IllegalArgumentException("'" + text + "' is not a signature like " + example);
        }
        boolean deterministic = false;
        boolean volatileSaid = false;
        boolean batch = false;
        boolean scalarSaid = false;
        double cost = Double.NaN;
        for (String word : s.substring(0, open).strip().split("\\s+")) {
            if (word.toLowerCase(Locale.ROOT).startsWith("cost=")) {
                cost = cost(word.substring(5), text);
                continue;
            }
            switch (word.toLowerCase(Locale.ROOT)) {
                case "" -> { }
                case "deterministic" -> deterministic = true;
                case "volatile" -> volatileSaid = true;
                case "batch" -> batch = true;
                case "scalar" -> scalarSaid = true;
                default -> throw new IllegalArgumentException("'" + text + "': unknown word '" + word
                        + "' before the parameters (the words are deterministic or volatile, batch or scalar, and cost=N)");
            }
        }
        if (deterministic && volatileSaid) {
            throw new IllegalArgumentException("'" + text + "': a function is either deterministic or volatile, not both");
        }
        if (batch && scalarSaid) {
            throw new IllegalArgumentException("'" + text + "': a function is either batch or scalar, not both");
        }
        String inside = s.substring(open + 1, close).strip();
        List<String> params = new ArrayList<>();
        if (!inside.isEmpty()) {
            for (String p : inside.split(",")) params.add(p.strip());
        }
        String result = s.substring(arrow + 2).strip();
        if (result.isEmpty()) throw new IllegalArgumentException("'" + text + "': the result type is missing after '->'");
        return new SignatureSyntax(deterministic, batch, cost, params, result);
    }

    /** {@code 1500}, {@code 1500ns}, {@code 1.5us} or {@code 2ms} as nanoseconds per row. */
    private static double cost(String value, String text) {
        String v = value.toLowerCase(Locale.ROOT);
        double scale = 1;
        if (v.endsWith("ns")) v = v.substring(0, v.length() - 2);
        else if (v.endsWith("us")) { v = v.substring(0, v.length() - 2); scale = 1e3; }
        else if (v.endsWith("ms")) { v = v.substring(0, v.length() - 2); scale = 1e6; }
        try {
            double d = Double.parseDouble(v) * scale;
            if (d >= 0 && Double.isFinite(d)) return d;
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("'" + text + "': cost=" + value + " is not a cost per row such as cost=1500ns, cost=2us or cost=1ms");
    }

    /** The words a signature starts with when printed: {@code "deterministic batch cost=1500ns "}, or "" for a volatile scalar one. */
    public static String prefix(boolean deterministic, boolean batch, double costNanos) {
        return (deterministic ? "deterministic " : "") + (batch ? "batch " : "")
                + (Double.isNaN(costNanos) ? "" : "cost=" + (costNanos == Math.rint(costNanos) ? Long.toString((long) costNanos) : Double.toString(costNanos)) + "ns ");
    }
}
