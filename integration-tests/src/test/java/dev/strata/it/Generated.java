package dev.strata.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated documents and queries. Each query comes in Strata's syntax and, where DuckDB can say
 * the same thing, in DuckDB's SQL over a table with one column per field and a {@code <field>__p}
 * presence column (DuckDB has no MISSING). Queries over arrays and mixed-kind fields have no SQL:
 * they are checked against the naive oracle only.
 */
final class Generated {
    static final String[] CATEGORIES = {"phones", "Phones", "laptops", "Grün", "\uFFFD", "\uD83D\uDE00", "a%b", "it's"};
    static final String[] WORDS = {"red", "fast", "phone", "case", "Pro", "mini", "über", "x_y"};
    // ASCII only: DuckDB's ILIKE folds ASCII case only, Strata's folds Unicode (a documented difference)
    static final String[] PATTERNS = {"%a%", "p%", "%s", "_a%", "%", "it''s", "%e_", "___", "%\uD83D\uDE00%"};

    /** Fields shared by both engines, with their SQL types. */
    static final String[][] FIELDS = {
        {"price", "DOUBLE"}, {"qty", "BIGINT"}, {"n", "BIGINT"}, {"category", "VARCHAR"}, {"title", "VARCHAR"},
        {"flag", "BOOLEAN"}, {"day", "DATE"}};

    record Pair(String strata, String sql) {}

    private final Random r;

    Generated(long seed) { this.r = new Random(seed); }

    /** A JSON document: each field present, null or missing, plus arrays and mixed kinds. */
    String document() {
        StringBuilder d = new StringBuilder("{");
        List<String> parts = new ArrayList<>();
        maybe(parts, "price", () -> {
            int k = r.nextInt(40);
            return k == 0 ? "-0.0" : k == 1 ? "0.0" : String.valueOf((r.nextInt(19900) + 100) / 100.0);
        });
        maybe(parts, "qty", () -> String.valueOf(r.nextInt(11)));
        maybe(parts, "n", () -> String.valueOf(r.nextInt(101) - 50));
        maybe(parts, "category", () -> quote(CATEGORIES[r.nextInt(CATEGORIES.length)]));
        maybe(parts, "title", () -> {
            StringBuilder t = new StringBuilder();
            for (int i = 2 + r.nextInt(4); i > 0; i--) t.append(t.isEmpty() ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
            return quote(t.toString());
        });
        maybe(parts, "flag", () -> String.valueOf(r.nextBoolean()));
        maybe(parts, "day", () -> quote(String.format("20%02d-%02d-%02d", 20 + r.nextInt(6), 1 + r.nextInt(12), 1 + r.nextInt(28))));
        maybe(parts, "tags", () -> {
            StringBuilder t = new StringBuilder("[");
            for (int i = r.nextInt(4); i > 0; i--) {
                t.append(t.length() > 1 ? "," : "").append(r.nextInt(8) == 0 ? "null" : quote(WORDS[r.nextInt(WORDS.length)]));
            }
            return t.append(']').toString();
        });
        maybe(parts, "mixed", () -> switch (r.nextInt(4)) {
            case 0 -> String.valueOf(r.nextInt(20));
            case 1 -> String.valueOf(r.nextInt(20) + 0.5);
            case 2 -> quote(String.valueOf(r.nextInt(20)));
            default -> "[" + r.nextInt(20) + "," + quote(WORDS[r.nextInt(3)]) + "]";
        });
        maybe(parts, "obj", () -> r.nextInt(5) == 0 ? "[{\"a\":1},{\"a\":" + r.nextInt(10) + "}]" : "{\"a\":" + r.nextInt(10) + "}");
        // families that once gave wrong answers: big arrays crossed with each other (combinations across
        // chunk boundaries), keys holding the column-key separator or a dot, floats that overflow to
        // infinity and NaN, strings with surrogate pairs
        maybe(parts, "big", () -> intArray(r.nextInt(10) == 0 ? 30 + r.nextInt(30) : r.nextInt(4)));
        maybe(parts, "big2", () -> intArray(r.nextInt(10) == 0 ? 30 + r.nextInt(30) : r.nextInt(4)));
        maybe(parts, "k", () -> "{\"z\":" + r.nextInt(4) + "}");
        maybe(parts, "k\\u001fz", () -> String.valueOf(r.nextInt(4)));
        maybe(parts, "k\\u001e\\u001fz", () -> String.valueOf(r.nextInt(4)));
        maybe(parts, "k.z", () -> String.valueOf(r.nextInt(4)));
        maybe(parts, "huge", () -> pick("1e308", "-1e308", "0", "1.5", "-2.0"));
        maybe(parts, "emoji", () -> quote(pick("\uD83D\uDE00", "a\uD83D\uDE00b", "\uD834\uDD1E", "plain")));
        d.append(String.join(",", parts)).append('}');
        return d.toString();
    }

    private String intArray(int n) {
        StringBuilder a = new StringBuilder("[");
        for (int i = 0; i < n; i++) a.append(i > 0 ? "," : "").append(r.nextInt(60));
        return a.append(']').toString();
    }

    private void maybe(List<String> parts, String name, java.util.function.Supplier<String> value) {
        int k = r.nextInt(20);
        if (k == 0) return; // missing
        parts.add("\"" + name + "\":" + (k == 1 ? "null" : value.get()));
    }

    private static String quote(String s) { return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\""; }

    // ------------------------------------------------------------------ queries

    /** A condition both engines understand. */
    Pair condition(int depth) {
        int k = depth <= 0 ? 3 + r.nextInt(9) : r.nextInt(12);
        return switch (k) {
            case 0 -> bin(condition(depth - 1), "AND", condition(depth - 1));
            case 1 -> bin(condition(depth - 1), "OR", condition(depth - 1));
            case 2 -> {
                Pair c = condition(depth - 1);
                yield new Pair("NOT (" + c.strata() + ")", "NOT (" + c.sql() + ")");
            }
            case 3, 4 -> {
                String op = pick("=", "!=", "<", "<=", ">", ">=", "<>");
                yield r.nextInt(3) == 0 ? compare(string(depth), op, string(depth)) : compare(number(depth), op, number(depth));
            }
            case 5 -> {
                Pair v = number(depth);
                Pair lo = number(0);
                Pair hi = number(0);
                String not = r.nextBoolean() ? "NOT " : "";
                yield new Pair(v.strata() + " " + not + "BETWEEN " + lo.strata() + " AND " + hi.strata(),
                        "(" + v.sql() + " " + not + "BETWEEN " + lo.sql() + " AND " + hi.sql() + ")");
            }
            case 6 -> {
                String not = r.nextBoolean() ? "NOT " : "";
                if (r.nextBoolean()) {
                    Pair v = string(depth);
                    String items = items(() -> "'" + CATEGORIES[r.nextInt(CATEGORIES.length)].replace("'", "''") + "'");
                    yield new Pair(v.strata() + " " + not + "IN (" + items + ")", "(" + v.sql() + " " + not + "IN (" + items + "))");
                }
                Pair v = number(depth);
                String items = items(() -> String.valueOf(r.nextInt(12)));
                yield new Pair(v.strata() + " " + not + "IN (" + items + ")", "(" + v.sql() + " " + not + "IN (" + items + "))");
            }
            case 7 -> {
                Pair v = string(depth);
                String pattern = PATTERNS[r.nextInt(PATTERNS.length)];
                String op = (r.nextBoolean() ? "NOT " : "") + (r.nextBoolean() ? "ILIKE" : "LIKE");
                yield new Pair(v.strata() + " " + op + " '" + pattern + "'", "(" + v.sql() + " " + op + " '" + pattern + "')");
            }
            case 8 -> {
                String f = field(r.nextBoolean() ? "number" : "string");
                yield switch (r.nextInt(5)) {
                    case 0 -> new Pair(f + " IS NULL", "(CASE WHEN " + f + "__p THEN " + f + " IS NULL ELSE NULL END)");
                    case 1 -> new Pair(f + " IS NOT NULL", "(CASE WHEN " + f + "__p THEN " + f + " IS NOT NULL ELSE NULL END)");
                    case 2 -> new Pair(f + " IS MISSING", "(NOT " + f + "__p)");
                    case 3 -> new Pair(f + " IS NOT MISSING", f + "__p");
                    default -> new Pair("exists(" + f + ")", f + "__p");
                };
            }
            case 9 -> {
                Pair v = number(depth);
                String is = r.nextBoolean() ? " IS NOT NULL" : " IS NULL";
                if (v.strata().matches("[a-z]+")) { // a bare field keeps MISSING apart from null
                    yield new Pair("(" + v.strata() + ")" + is,
                            "(CASE WHEN " + v.sql() + "__p THEN " + v.sql() + is + " ELSE NULL END)");
                }
                yield new Pair("(" + v.strata() + ")" + is, "((" + v.sql() + ")" + is + ")");
            }
            case 10 -> {
                String f = r.nextBoolean() ? "flag" : "flag = " + pick("TRUE", "FALSE");
                yield new Pair(f, "(" + f + ")");
            }
            default -> {
                String d = String.format("DATE '20%02d-%02d-%02d'", 20 + r.nextInt(6), 1 + r.nextInt(12), 1 + r.nextInt(28));
                String op = pick("=", "<", ">=", "!=");
                String fn = pick("starts_with", "ends_with", "contains");
                String word = WORDS[r.nextInt(WORDS.length)].substring(0, 2);
                yield r.nextBoolean() ? new Pair("day " + op + " " + d, "(day " + op + " " + d + ")")
                        : new Pair(fn + "(title, '" + word + "')", fn + "(title, '" + word + "')");
            }
        };
    }

    private Pair bin(Pair a, String op, Pair b) {
        return new Pair("(" + a.strata() + ") " + op + " (" + b.strata() + ")", "(" + a.sql() + ") " + op + " (" + b.sql() + ")");
    }

    private Pair compare(Pair a, String op, Pair b) {
        return new Pair(a.strata() + " " + op + " " + b.strata(), "(" + a.sql() + " " + op + " " + b.sql() + ")");
    }

    private String items(java.util.function.Supplier<String> item) {
        List<String> out = new ArrayList<>();
        for (int i = 1 + r.nextInt(4); i > 0; i--) out.add(item.get());
        if (r.nextInt(4) == 0) out.add("NULL");
        return String.join(", ", out);
    }

    private String pick(String... options) { return options[r.nextInt(options.length)]; }

    private String field(String type) {
        return type.equals("number") ? pick("price", "qty", "n") : pick("category", "title");
    }

    Pair number(int depth) {
        int k = depth <= 0 ? r.nextInt(3) : r.nextInt(8);
        return switch (k) {
            case 0, 1 -> {
                String f = field("number");
                yield new Pair(f, f);
            }
            case 2 -> {
                if (r.nextBoolean()) {
                    String v = String.valueOf(r.nextInt(400) - 50);
                    yield new Pair(v, "CAST(" + v + " AS BIGINT)");
                }
                String v = String.valueOf((r.nextInt(40000) - 5000) / 100.0);
                yield new Pair(v, "CAST('" + v + "' AS DOUBLE)");
            }
            case 3, 4 -> {
                Pair a = number(depth - 1);
                Pair b = number(depth - 1);
                String op = pick("+", "-", "*", "/", "%");
                yield new Pair("(" + a.strata() + " " + op + " " + b.strata() + ")", "(" + a.sql() + " " + op + " " + b.sql() + ")");
            }
            case 5 -> {
                Pair a = number(depth - 1);
                yield new Pair("-(" + a.strata() + ")", "(-(" + a.sql() + "))");
            }
            case 6 -> {
                Pair a = number(depth - 1);
                String fn = pick("abs", "floor", "ceil", "round");
                yield new Pair(fn + "(" + a.strata() + ")", fn + "(CAST(" + a.sql() + " AS DOUBLE))");
            }
            default -> {
                Pair s = string(depth - 1);
                yield new Pair("length(" + s.strata() + ")", "length(" + s.sql() + ")");
            }
        };
    }

    Pair string(int depth) {
        int k = depth <= 0 ? r.nextInt(3) : r.nextInt(6);
        return switch (k) {
            case 0, 1 -> {
                String f = field("string");
                yield new Pair(f, f);
            }
            case 2 -> {
                String v = "'" + CATEGORIES[r.nextInt(CATEGORIES.length)].replace("'", "''") + "'";
                yield new Pair(v, v);
            }
            case 3 -> {
                Pair a = string(depth - 1);
                String fn = pick("lower", "upper");
                yield new Pair(fn + "(" + a.strata() + ")", fn + "(" + a.sql() + ")");
            }
            case 4 -> {
                Pair a = string(depth - 1);
                Pair b = string(depth - 1);
                yield new Pair("concat(" + a.strata() + ", " + b.strata() + ")", "(" + a.sql() + " || " + b.sql() + ")");
            }
            default -> new Pair("_id", "id");
        };
    }

    /** A condition over arrays, mixed kinds, nested paths and positions: for the naive oracle only. */
    String naiveOnly(int depth) {
        if (depth > 0 && r.nextInt(3) == 0) {
            return "(" + naiveOnly(depth - 1) + ") " + pick("AND", "OR") + " " + (r.nextBoolean() ? "NOT " : "") + "(" + naiveOnly(depth - 1) + ")";
        }
        String word = "'" + WORDS[r.nextInt(WORDS.length)] + "'";
        return switch (r.nextInt(22)) {
            case 14 -> pick("big = big2", "NOT (big = big2)", "big != big2") + (r.nextBoolean() ? "" : " AND n > " + (r.nextInt(40) - 20));
            case 15 -> "big + big2 = " + r.nextInt(120);
            case 16 -> "big + big2 + n " + pick("=", "<", ">=") + " " + (r.nextInt(160) - 20);
            case 17 -> pick("k.z", "`k.z`", "`k\u001fz`") + " " + pick("= " + r.nextInt(4), "IS MISSING", "IS NOT NULL");
            case 18 -> pick("huge * 10 - huge * 10", "huge * 10", "huge / 0", "huge * huge") + " " + pick("IS NULL", "> 0", "<= 0", "= 0");
            case 19 -> "emoji " + pick("LIKE '%\uD83D\uDE00%'", "LIKE '_'", "= '\uD834\uDD1E'", "> 'a'", "ILIKE 'A%B'");
            case 20 -> "length(emoji) = " + r.nextInt(4);
            case 0 -> "tags = " + word;
            case 1 -> "tags " + pick("<", ">=", "!=") + " " + word;
            case 2 -> "tags IS " + pick("NULL", "NOT NULL", "MISSING", "NOT MISSING");
            case 3 -> "tags[" + r.nextInt(3) + "] " + pick("= " + word, "!= " + word, "IS NULL", "IS MISSING");
            case 4 -> "mixed " + pick("=", ">", "<=") + " " + r.nextInt(20);
            case 5 -> "mixed = '" + r.nextInt(20) + "'";
            case 6 -> "mixed IN (1, 2.5, 3, NULL)";
            case 7 -> "obj.a " + pick("=", ">", "!=") + " " + r.nextInt(10);
            case 8 -> "obj.a IS " + pick("NULL", "NOT NULL", "MISSING", "NOT MISSING");
            case 9 -> "lower(tags) LIKE '" + pick("%e%", "r%", "_a%") + "'";
            case 10 -> "length(tags) + qty > " + r.nextInt(12);
            case 11 -> "tags = category";
            case 12 -> "obj.a * price BETWEEN 10 AND " + r.nextInt(900);
            default -> condition(1).strata();
        };
    }
}
