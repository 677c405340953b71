package dev.strata.parser;

import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.Value;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Prints an AST as query text that parses back to the same AST, with the fewest parentheses the
 * precedence rules allow. Keywords come out upper-case.
 */
public final class QueryPrinter {
    private QueryPrinter() {}

    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Set<String> RESERVED = Set.of("and", "or", "not", "between", "in", "like", "ilike", "is",
            "null", "true", "false", "order", "by", "asc", "desc", "limit", "offset", "set", "select", "where", "as", "group", "distinct", "_id", "_score");

    // Precedence levels, loosest first; a child printed where a higher level is required gets parentheses.
    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int PREDICATE = 4;
    private static final int ADDITIVE = 5;
    private static final int MULTIPLICATIVE = 6;
    private static final int UNARY = 7;
    private static final int PRIMARY = 8;

    public static String print(Query q) {
        StringBuilder out = new StringBuilder();
        if (q.select() != null) {
            out.append("SELECT ");
            boolean first = true;
            if (q.select().source()) {
                out.append('*');
                first = false;
            }
            for (Query.Item item : q.select().items()) {
                if (!first) out.append(", ");
                print(item.expr(), OR, out);
                out.append(" AS ");
                name(item.name(), out);
                first = false;
            }
            if (q.filter() != null) out.append(" WHERE");
        }
        if (q.filter() != null) print(q.filter(), OR, space(out));
        if (!q.groupBy().isEmpty()) {
            space(out).append("GROUP BY ");
            list(q.groupBy(), out);
        }
        if (q.score() != null) {
            space(out).append("SET _score = ");
            print(q.score(), OR, out);
        }
        if (!q.orderBy().isEmpty()) {
            space(out).append("ORDER BY ");
            for (int i = 0; i < q.orderBy().size(); i++) {
                if (i > 0) out.append(", ");
                print(q.orderBy().get(i).expr(), OR, out);
                if (q.orderBy().get(i).descending()) out.append(" DESC");
            }
        }
        if (q.limit().isPresent() || q.offset() > 0) {
            space(out).append("LIMIT ").append(q.limit().orElse(Long.MAX_VALUE));
            if (q.offset() > 0) out.append(" OFFSET ").append(q.offset());
        }
        return out.toString();
    }

    public static String print(Expr e) {
        StringBuilder out = new StringBuilder();
        print(e, OR, out);
        return out.toString();
    }

    private static StringBuilder space(StringBuilder out) {
        if (!out.isEmpty()) out.append(' ');
        return out;
    }

    private static int level(Expr e) {
        return switch (e) {
            case Expr.Or o -> OR;
            case Expr.And a -> AND;
            case Expr.Not n -> NOT;
            case Expr.Comparison c -> PREDICATE;
            case Expr.Between b -> PREDICATE;
            case Expr.In i -> PREDICATE;
            case Expr.Like l -> PREDICATE;
            case Expr.IsNull n -> PREDICATE;
            case Expr.IsMissing m -> PREDICATE;
            case Expr.Arithmetic a -> a.op() == ArithmeticOp.ADD || a.op() == ArithmeticOp.SUBTRACT ? ADDITIVE : MULTIPLICATIVE;
            case Expr.Negate n -> UNARY;
            case Expr.Literal l -> isNegativeNumber(l.value()) ? UNARY : PRIMARY;
            default -> PRIMARY;
        };
    }

    private static boolean isNegativeNumber(Value v) {
        return (v instanceof Value.IntValue i && i.value() < 0)
                || (v instanceof Value.FloatValue f && (f.value() < 0 || 1 / f.value() < 0));
    }

    private static void print(Expr e, int required, StringBuilder out) {
        boolean parens = level(e) < required;
        if (parens) out.append('(');
        switch (e) {
            case Expr.Or o -> {
                print(o.left(), OR, out);
                out.append(" OR ");
                print(o.right(), AND, out);
            }
            case Expr.And a -> {
                print(a.left(), AND, out);
                out.append(" AND ");
                print(a.right(), NOT, out);
            }
            case Expr.Not n -> {
                out.append("NOT ");
                print(n.operand(), NOT, out);
            }
            case Expr.Comparison c -> {
                print(c.left(), ADDITIVE, out);
                out.append(' ').append(c.op().symbol()).append(' ');
                print(c.right(), ADDITIVE, out);
            }
            case Expr.Between b -> {
                print(b.value(), ADDITIVE, out);
                out.append(b.negated() ? " NOT BETWEEN " : " BETWEEN ");
                print(b.low(), ADDITIVE, out);
                out.append(" AND ");
                print(b.high(), ADDITIVE, out);
            }
            case Expr.In i -> {
                print(i.value(), ADDITIVE, out);
                out.append(i.negated() ? " NOT IN (" : " IN (");
                list(i.items(), out);
                out.append(')');
            }
            case Expr.Like l -> {
                print(l.value(), ADDITIVE, out);
                out.append(l.negated() ? " NOT" : "").append(l.caseInsensitive() ? " ILIKE " : " LIKE ");
                print(l.pattern(), ADDITIVE, out);
            }
            case Expr.IsNull n -> {
                print(n.value(), ADDITIVE, out);
                out.append(n.negated() ? " IS NOT NULL" : " IS NULL");
            }
            case Expr.IsMissing m -> {
                print(m.value(), ADDITIVE, out);
                out.append(m.negated() ? " IS NOT MISSING" : " IS MISSING");
            }
            case Expr.Arithmetic a -> {
                int own = level(a);
                print(a.left(), own, out);
                out.append(' ').append(a.op().symbol()).append(' ');
                print(a.right(), own + 1, out);
            }
            case Expr.Negate n -> {
                out.append('-');
                int mark = out.length();
                print(n.operand(), UNARY, out);
                if (out.charAt(mark) == '-') out.insert(mark, ' ');
            }
            case Expr.Literal l -> literal(l.value(), out);
            case Expr.Field f -> path(f.path(), out);
            case Expr.DocId d -> out.append("_id");
            case Expr.Score s -> out.append("_score");
            case Expr.Exists x -> {
                out.append("exists(");
                path(x.field().path(), out);
                out.append(')');
            }
            case Expr.Call c -> {
                out.append(c.function()).append('(');
                list(c.args(), out);
                out.append(')');
            }
            case Expr.Aggregate a -> {
                out.append(a.function().sql()).append('(');
                if (a.argument() == null) out.append('*');
                else print(a.argument(), OR, out.append(a.distinct() ? "DISTINCT " : ""));
                out.append(')');
            }
            case Expr.UdfCall u -> {
                out.append(u.tier()).append("('");
                out.append(u.module()).append('.').append(u.function()).append('\'');
                for (Expr a : u.args()) {
                    out.append(", ");
                    print(a, OR, out);
                }
                out.append(')');
            }
        }
        if (parens) out.append(')');
    }

    private static void list(List<Expr> items, StringBuilder out) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) out.append(", ");
            print(items.get(i), OR, out);
        }
    }

    /** Prints a field path, quoting names that are not plain identifiers or are reserved. */
    public static void path(FieldPath p, StringBuilder out) {
        boolean first = true;
        for (FieldPath.Step s : p.steps()) {
            switch (s) {
                case FieldPath.Key k -> {
                    if (!first) out.append('.');
                    name(k.name(), out);
                }
                case FieldPath.Index i -> out.append('[').append(i.position()).append(']');
            }
            first = false;
        }
    }

    private static void name(String n, StringBuilder out) {
        if (PLAIN_NAME.matcher(n).matches() && !RESERVED.contains(n.toLowerCase(Locale.ROOT))) {
            out.append(n);
        } else {
            out.append('`').append(n.replace("`", "``")).append('`');
        }
    }

    /** Prints a literal value in query syntax. */
    public static void literal(Value v, StringBuilder out) {
        switch (v) {
            case Value.NullValue n -> out.append("NULL");
            case Value.BoolValue b -> out.append(b.value() ? "TRUE" : "FALSE");
            case Value.IntValue i -> out.append(i.value());
            case Value.FloatValue f -> out.append(Double.toString(f.value()));
            case Value.StringValue s -> quote(s.value(), out);
            case Value.DateValue d -> {
                out.append("DATE ");
                quote(Temporal.formatDate(d.epochDay()), out);
            }
            case Value.TimestampValue t -> {
                out.append("TIMESTAMP ");
                quote(Temporal.formatTimestamp(t.epochMicros()), out);
            }
            case Value.ArrayValue a -> throw new IllegalArgumentException("arrays have no literal syntax");
            case Value.ObjectValue o -> throw new IllegalArgumentException("objects have no literal syntax");
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> out.append("''");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('\'');
    }
}
