package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Value;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The built-in function library as one table: per function its name, argument kinds, result,
 * description, the kernel that evaluates it over a batch, and the naive evaluation the test
 * oracle uses. The type checker, the binder and the naive evaluator all read it, so a function is
 * added in one place.
 *
 * <p>Argument kinds: "string", "number", "temporal" (a date or timestamp); a trailing "..." repeats
 * the one before. Results: "string", "int", "bool", "float", "same" (the numeric type of the
 * arguments) or "temporal" (the type of the temporal argument).
 */
public enum Builtin {
    LOWER("lower", List.of("string"), "string", "lower-cases (Unicode, locale-independent)",
            (b, c) -> new CallKernels.StringFunction("lower", b.stringArgs(c), (in, i) -> in[0][i].toLowerCase(Locale.ROOT), false),
            a -> Value.of(string(a, 0).toLowerCase(Locale.ROOT))),
    UPPER("upper", List.of("string"), "string", "upper-cases (Unicode, locale-independent)",
            (b, c) -> new CallKernels.StringFunction("upper", b.stringArgs(c), (in, i) -> in[0][i].toUpperCase(Locale.ROOT), false),
            a -> Value.of(string(a, 0).toUpperCase(Locale.ROOT))),
    LENGTH("length", List.of("string"), "int", "number of code points",
            (b, c) -> new CallKernels.Length(b.strings(c.args().get(0))),
            a -> Value.of((long) string(a, 0).codePointCount(0, string(a, 0).length()))),
    ABS("abs", List.of("number"), "same", "absolute value; abs of the smallest int is an overflow error",
            (b, c) -> c.type() == Type.INT ? new CallKernels.AbsLong(b.longs(c.args().get(0)), c.where())
                    : new CallKernels.DoubleFunction(b.doubles(c.args().get(0)), Math::abs),
            a -> {
                if (a.get(0) instanceof Value.IntValue i) {
                    if (i.value() == Long.MIN_VALUE) throw new StrataException(ErrorCode.INTEGER_OVERFLOW, "integer overflow");
                    return Value.of(Math.abs(i.value()));
                }
                return Value.of(Math.abs(number(a, 0)));
            }),
    CONCAT("concat", List.of("string", "string", "..."), "string", "joins strings; null if any is null",
            (b, c) -> new CallKernels.StringFunction("concat", b.stringArgs(c), (in, i) -> {
                StringBuilder s = new StringBuilder();
                for (String[] col : in) s.append(col[i]);
                return s.toString();
            }, true),
            a -> {
                StringBuilder out = new StringBuilder();
                for (int i = 0; i < a.size(); i++) out.append(string(a, i));
                return Value.of(out.toString());
            }),
    STARTS_WITH("starts_with", List.of("string", "string"), "bool", "whether the first starts with the second",
            (b, c) -> b.stringTest(c, false, true, String::startsWith),
            a -> Value.of(string(a, 0).startsWith(string(a, 1)))),
    ENDS_WITH("ends_with", List.of("string", "string"), "bool", "whether the first ends with the second",
            (b, c) -> b.stringTest(c, true, false, String::endsWith),
            a -> Value.of(string(a, 0).endsWith(string(a, 1)))),
    CONTAINS("contains", List.of("string", "string"), "bool", "whether the first contains the second",
            (b, c) -> b.stringTest(c, true, true, String::contains),
            a -> Value.of(string(a, 0).contains(string(a, 1)))),
    FLOOR("floor", List.of("number"), "float", "largest integral float not above",
            (b, c) -> new CallKernels.DoubleFunction(b.doubles(c.args().get(0)), Math::floor),
            a -> Value.of(Math.floor(number(a, 0)))),
    CEIL("ceil", List.of("number"), "float", "smallest integral float not below",
            (b, c) -> new CallKernels.DoubleFunction(b.doubles(c.args().get(0)), Math::ceil),
            a -> Value.of(Math.ceil(number(a, 0)))),
    ROUND("round", List.of("number"), "float", "nearest integral float, halves away from zero",
            (b, c) -> new CallKernels.DoubleFunction(b.doubles(c.args().get(0)), Builtin::round),
            a -> Value.of(round(number(a, 0)))),
    HISTOGRAM("histogram", List.of("number", "number"), "same",
            "the start of x's bucket of width interval, floor(x / interval) * interval: histogram(price, 100)",
            (b, c) -> c.type() == Type.INT
                    ? new Buckets.LongHistogram(b.longs(c.args().get(0)), b.longs(c.args().get(1)), c.where())
                    : new Buckets.DoubleHistogram(b.doubles(c.args().get(0)), b.doubles(c.args().get(1))),
            a -> a.get(0) instanceof Value.IntValue x && a.get(1) instanceof Value.IntValue w
                    ? Value.of(Buckets.bucket(x.value(), w.value(), "histogram"))
                    : Value.of(Buckets.bucket(number(a, 0), number(a, 1)))),
    DATE_HISTOGRAM("date_histogram", List.of("temporal", "string"), "temporal",
            "the start of the " + Buckets.UNITS.replace(", second", " or second") + " holding a date or timestamp (UTC; weeks start on Monday):"
                    + " date_histogram(released, 'month')",
            (b, c) -> new Buckets.Truncate(b.longs(c.args().get(0)), b.strings(c.args().get(1)), c.type() == Type.TIMESTAMP),
            a -> {
                Buckets.Unit unit = Buckets.unit(string(a, 1));
                if (unit == null) throw Buckets.badUnit(string(a, 1));
                return switch (a.get(0)) {
                    case Value.DateValue d -> new Value.DateValue((int) Buckets.truncateDate(d.epochDay(), unit));
                    case Value.TimestampValue t -> new Value.TimestampValue(Buckets.truncateTimestamp(t.epochMicros(), unit));
                    default -> throw WrongKind.INSTANCE;
                };
            });

    /** Builds the kernel of one call for one segment. */
    @FunctionalInterface
    interface Kernel {
        Vec bind(Binder binder, Typed.Call call);
    }

    /**
     * Evaluates one call on boxed values, for the naive evaluator. The caller has already given null
     * for a null or missing argument; an argument of the wrong kind gives null here.
     */
    @FunctionalInterface
    public interface Naive {
        Value apply(List<Value> args);
    }

    private static final Map<String, Builtin> BY_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(Builtin::functionName, Function.identity()));

    private final String functionName;
    private final List<String> args;
    private final String result;
    private final String description;
    private final Kernel kernel;
    private final Naive naive;

    Builtin(String functionName, List<String> args, String result, String description, Kernel kernel, Naive naive) {
        this.functionName = functionName;
        this.args = args;
        this.result = result;
        this.description = description;
        this.kernel = kernel;
        this.naive = naive;
    }

    /** The function called {@code name}, or null. */
    public static Builtin of(String name) { return BY_NAME.get(name); }

    public String functionName() { return functionName; }

    public List<String> args() { return args; }

    public String result() { return result; }

    public String description() { return description; }

    Vec bind(Binder binder, Typed.Call call) { return kernel.bind(binder, call); }

    /** The naive evaluation: null when an argument is not of the kind the function takes. */
    public Value evaluate(List<Value> arguments) {
        try {
            return naive.apply(arguments);
        } catch (WrongKind e) {
            return Value.NULL;
        }
    }

    /** Rounds half away from zero, as SQL engines do. */
    public static double round(double x) {
        double r = Math.floor(Math.abs(x) + 0.5);
        if (r - Math.abs(x) > 0.5) r -= 1; // guard against 0.49999999999999994 + 0.5 rounding up
        return Math.copySign(r, x);
    }

    private static String string(List<Value> a, int i) {
        if (a.get(i) instanceof Value.StringValue s) return s.value();
        throw WrongKind.INSTANCE;
    }

    private static double number(List<Value> a, int i) {
        return switch (a.get(i)) {
            case Value.IntValue n -> n.value();
            case Value.FloatValue f -> f.value();
            default -> throw WrongKind.INSTANCE;
        };
    }

    /** An argument of another kind than the function takes: the naive result is null. */
    private static final class WrongKind extends RuntimeException {
        static final WrongKind INSTANCE = new WrongKind();

        private WrongKind() { super(null, null, false, false); }
    }
}
