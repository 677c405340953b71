package dev.strata.parser.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.AggregateFunction;
import dev.strata.core.ast.ArithmeticOp;
import dev.strata.core.ast.ComparisonOp;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.ast.Span;
import dev.strata.core.value.FieldPath;
import dev.strata.core.value.Temporal;
import dev.strata.core.value.Value;
import dev.strata.parser.ParserLimits;
import dev.strata.parser.internal.StrataQueryParser.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/** Builds engine-core AST records from a parse tree, checking what the grammar cannot. */
public final class AstBuilder {
    private static final Pattern UDF_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*\\.[A-Za-z_][A-Za-z0-9_]*");

    private final String text;
    private final ParserLimits limits;

    public AstBuilder(String text, ParserLimits limits) {
        this.text = text;
        this.limits = limits;
    }

    public Query query(QueryContext q) {
        Expr filter = q.expr() == null ? null : expr(q.expr());
        Expr score = q.scoreClause() == null ? null : expr(q.scoreClause().expr());
        List<Query.OrderKey> order = new ArrayList<>();
        if (q.orderClause() != null) {
            for (OrderItemContext item : q.orderClause().orderItem()) {
                order.add(new Query.OrderKey(expr(item.expr()), item.DESC() != null));
            }
        }
        OptionalLong limit = OptionalLong.empty();
        long offset = 0;
        if (q.limitClause() != null) {
            limit = OptionalLong.of(wholeNumber(q.limitClause().limit));
            if (q.limitClause().offset != null) offset = wholeNumber(q.limitClause().offset);
        }
        checkDepth(filter);
        checkDepth(score);
        for (Query.OrderKey k : order) checkDepth(k.expr());
        Query.Select select = q.selectClause() == null ? null : select(q.selectClause());
        List<Expr> groupBy = new ArrayList<>();
        if (q.groupClause() != null) {
            for (ExprContext key : q.groupClause().expr()) {
                Expr e = expr(key);
                checkDepth(e);
                groupBy.add(e);
            }
            if (groupBy.size() > limits.maxArguments()) {
                throw new QueryException(ErrorCode.LIST_TOO_LONG, "GROUP BY has " + groupBy.size() + " keys; the limit is "
                        + limits.maxArguments(), text, span(q.groupClause()));
            }
        }
        return new Query(filter, score, order, limit, offset, select, groupBy);
    }

    /** {@code SELECT *, a, b AS c}: an item is named by {@code AS} or by its text as written; a name twice is an error. */
    private Query.Select select(SelectClauseContext c) {
        boolean source = false;
        List<Query.Item> items = new ArrayList<>();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (SelectItemContext item : c.selectItem()) {
            if (item.STAR() != null) {
                if (source) throw new QueryException(ErrorCode.QUERY_SYNTAX, "'*' is in the SELECT list twice", text, span(item));
                source = true;
                continue;
            }
            Expr e = expr(item.expr());
            checkDepth(e);
            String name = item.name() != null ? name(item.name())
                    : text.substring(item.expr().start.getStartIndex(), item.expr().stop.getStopIndex() + 1);
            if (!names.add(name)) {
                throw new QueryException(ErrorCode.QUERY_SYNTAX, "the name '" + name + "' is in the SELECT list twice; give one of"
                        + " them another with AS", text, span(item));
            }
            items.add(new Query.Item(e, name));
        }
        return new Query.Select(source, items);
    }

    /**
     * Refuses an expression deeper than {@link ParserLimits#maxTreeDepth()}, walking it with an
     * explicit stack (a recursive walk is what the limit protects): chains inside parentheses inside
     * chains multiply, and no limit on one kind of nesting alone bounds the whole.
     */
    private void checkDepth(Expr root) {
        if (root == null) return;
        java.util.ArrayDeque<Expr> nodes = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<Integer> depths = new java.util.ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            Expr e = nodes.pop();
            int d = depths.pop();
            if (d > limits.maxTreeDepth()) {
                throw new QueryException(ErrorCode.QUERY_TOO_DEEP, "the expression is nested more than " + limits.maxTreeDepth()
                        + " levels deep here; parentheses, prefix operators and each operator of a chain such as a + b + c count",
                        text, e.span());
            }
            for (Expr child : children(e)) {
                nodes.push(child);
                depths.push(d + 1);
            }
        }
    }

    private static List<Expr> children(Expr e) {
        return switch (e) {
            case Expr.Negate n -> List.of(n.operand());
            case Expr.Arithmetic a -> List.of(a.left(), a.right());
            case Expr.Comparison c -> List.of(c.left(), c.right());
            case Expr.And a -> List.of(a.left(), a.right());
            case Expr.Or o -> List.of(o.left(), o.right());
            case Expr.Not n -> List.of(n.operand());
            case Expr.Between b -> List.of(b.value(), b.low(), b.high());
            case Expr.In i -> {
                List<Expr> all = new ArrayList<>(i.items().size() + 1);
                all.add(i.value());
                all.addAll(i.items());
                yield all;
            }
            case Expr.Like l -> List.of(l.value(), l.pattern());
            case Expr.IsNull n -> List.of(n.value());
            case Expr.IsMissing m -> List.of(m.value());
            case Expr.Call c -> c.args();
            case Expr.UdfCall u -> u.args();
            case Expr.Aggregate a -> a.argument() == null ? List.of() : List.of(a.argument());
            case Expr.Exists x -> List.of();
            case Expr.Literal l -> List.of();
            case Expr.Field f -> List.of();
            case Expr.DocId i -> List.of();
            case Expr.Score s -> List.of();
        };
    }

    private long wholeNumber(Token t) {
        try {
            return Long.parseLong(t.getText());
        } catch (NumberFormatException e) {
            throw error(ErrorCode.INVALID_LITERAL, "number too large", t);
        }
    }

    private Expr expr(ExprContext e) { return or(e.orExpr()); }

    /** Up to this many operands, an AND or OR chain is left-nested as written; a longer one is grouped into a balanced tree. */
    static final int LEFT_NESTED_CHAIN = 32;

    private Expr or(OrExprContext c) {
        List<AndExprContext> parts = c.andExpr(); // one pass: the indexed accessor walks the children each time
        List<Expr> operands = new ArrayList<>(parts.size());
        for (AndExprContext p : parts) operands.add(and(p));
        return connect(parts, operands, 0, parts.size(), Expr.Or::new);
    }

    private Expr and(AndExprContext c) {
        List<NotExprContext> parts = c.notExpr();
        List<Expr> operands = new ArrayList<>(parts.size());
        for (NotExprContext p : parts) operands.add(not(p));
        return connect(parts, operands, 0, parts.size(), Expr.And::new);
    }

    private interface Connective {
        Expr make(Expr left, Expr right, Span span);
    }

    /**
     * Operands {@code from..to} of an AND or OR chain: left-nested when short, else two balanced
     * halves (AND and OR are associative under three-valued logic, so the grouping never changes
     * a result), so a 4,000-term chain is 12 levels deep, not 4,000.
     */
    private Expr connect(List<? extends ParserRuleContext> parts, List<Expr> operands, int from, int to, Connective c) {
        if (to - from <= LEFT_NESTED_CHAIN) {
            Expr left = operands.get(from);
            for (int i = from + 1; i < to; i++) left = c.make(left, operands.get(i), span(parts.get(from), parts.get(i)));
            return left;
        }
        int mid = (from + to) >>> 1;
        return c.make(connect(parts, operands, from, mid, c), connect(parts, operands, mid, to, c), span(parts.get(from), parts.get(to - 1)));
    }

    private Expr not(NotExprContext c) {
        if (c.notExpr() != null) return new Expr.Not(not(c.notExpr()), span(c));
        return predicate(c.predicate());
    }

    private Expr predicate(PredicateContext c) {
        Expr value = additive(c.additive());
        PredicateTailContext tail = c.predicateTail();
        if (tail == null) return value;
        Span s = span(c);
        return switch (tail) {
            case CompareTailContext t -> new Expr.Comparison(compareOp(t.compareOp()), value, additive(t.additive()), s);
            case BetweenTailContext t -> new Expr.Between(value, additive(t.low), additive(t.high), t.NOT() != null, s);
            case InTailContext t -> {
                if (t.expr().size() > limits.maxListSize()) {
                    throw error(ErrorCode.LIST_TOO_LONG, "the IN list has " + t.expr().size()
                            + " items; the limit is " + limits.maxListSize(), t.IN().getSymbol());
                }
                List<Expr> items = new ArrayList<>(t.expr().size());
                for (ExprContext item : t.expr()) items.add(expr(item));
                yield new Expr.In(value, items, t.NOT() != null, s);
            }
            case LikeTailContext t -> new Expr.Like(value, additive(t.additive()), t.ILIKE() != null, t.NOT() != null, s);
            case IsTailContext t -> t.NULL() != null ? new Expr.IsNull(value, t.NOT() != null, s)
                    : new Expr.IsMissing(value, t.NOT() != null, s);
            default -> throw new IllegalStateException("unknown predicate " + tail.getClass());
        };
    }

    private static ComparisonOp compareOp(CompareOpContext c) {
        return switch (c.getStart().getType()) {
            case StrataQueryLexer.EQ, StrataQueryLexer.EQEQ -> ComparisonOp.EQ;
            case StrataQueryLexer.NEQ, StrataQueryLexer.LTGT -> ComparisonOp.NE;
            case StrataQueryLexer.LT -> ComparisonOp.LT;
            case StrataQueryLexer.LE -> ComparisonOp.LE;
            case StrataQueryLexer.GT -> ComparisonOp.GT;
            default -> ComparisonOp.GE;
        };
    }

    private Expr additive(AdditiveContext c) {
        List<MultiplicativeContext> terms = c.multiplicative();
        Expr left = multiplicative(terms.get(0));
        for (int i = 1; i < terms.size(); i++) {
            Token op = ((TerminalNode) c.getChild(2 * i - 1)).getSymbol();
            ArithmeticOp o = op.getType() == StrataQueryLexer.PLUS ? ArithmeticOp.ADD : ArithmeticOp.SUBTRACT;
            checkChain(i, op);
            left = new Expr.Arithmetic(o, left, multiplicative(terms.get(i)), span(terms.get(0), terms.get(i)));
        }
        return left;
    }

    /**
     * Arithmetic chains stay left-nested as written (integer overflow and float rounding depend on
     * the order), so each operator is one level: a chain longer than the tree-depth limit is refused
     * here, before anything walks it.
     */
    private void checkChain(int operators, Token op) {
        if (operators >= limits.maxTreeDepth()) {
            throw error(ErrorCode.QUERY_TOO_DEEP, "this chain of operators is more than " + limits.maxTreeDepth()
                    + " long; each operator of a chain such as a + b + c is one level of the expression, and the limit is "
                    + limits.maxTreeDepth() + " (group the terms with a function or in the data)", op);
        }
    }

    private Expr multiplicative(MultiplicativeContext c) {
        List<UnaryContext> factors = c.unary();
        Expr left = unary(factors.get(0));
        for (int i = 1; i < factors.size(); i++) {
            Token op = ((TerminalNode) c.getChild(2 * i - 1)).getSymbol();
            ArithmeticOp o = switch (op.getType()) {
                case StrataQueryLexer.STAR -> ArithmeticOp.MULTIPLY;
                case StrataQueryLexer.SLASH -> ArithmeticOp.DIVIDE;
                default -> ArithmeticOp.MODULO;
            };
            checkChain(i, op);
            left = new Expr.Arithmetic(o, left, unary(factors.get(i)), span(factors.get(0), factors.get(i)));
        }
        return left;
    }

    private Expr unary(UnaryContext c) {
        if (c.primary() != null) return primary(c.primary());
        // A minus in front of a number literal is part of the literal: -9223372036854775808 fits.
        UnaryContext inner = c.unary();
        if (inner.primary() instanceof LiteralPrimaryContext lit) {
            if (lit.literal() instanceof IntegerLiteralContext i) {
                return new Expr.Literal(Value.of(parseLong("-" + i.INTEGER().getText(), i.INTEGER().getSymbol())), span(c));
            }
            if (lit.literal() instanceof DecimalLiteralContext d) {
                return new Expr.Literal(Value.of(-parseDouble(d.DECIMAL().getSymbol())), span(c));
            }
        }
        Expr operand = unary(inner);
        if (operand instanceof Expr.Literal l && l.value() instanceof Value.IntValue iv && iv.value() != Long.MIN_VALUE) {
            return new Expr.Literal(Value.of(-iv.value()), span(c));
        }
        if (operand instanceof Expr.Literal l && l.value() instanceof Value.FloatValue fv) {
            return new Expr.Literal(Value.of(-fv.value()), span(c));
        }
        return new Expr.Negate(operand, span(c));
    }

    private Expr primary(PrimaryContext c) {
        Span s = span(c);
        return switch (c) {
            case LiteralPrimaryContext l -> new Expr.Literal(literal(l.literal()), s);
            case PathPrimaryContext p -> new Expr.Field(path(p.path()), s);
            case IdPrimaryContext i -> new Expr.DocId(s);
            case ScorePrimaryContext i -> new Expr.Score(s);
            case ParenPrimaryContext p -> expr(p.expr());
            case CallPrimaryContext f -> call(f, s);
            case StarCallPrimaryContext f -> aggregate(f.IDENT().getSymbol(), null, false, s);
            case DistinctCallPrimaryContext f -> aggregate(f.IDENT().getSymbol(), expr(f.expr()), true, s);
            default -> throw new IllegalStateException("unknown primary " + c.getClass());
        };
    }

    /** {@code COUNT(*)} (argument null), {@code COUNT(DISTINCT x)} or, from {@link #call}, {@code SUM(x)} and the others. */
    private Expr aggregate(Token name, Expr argument, boolean distinct, Span s) {
        String lower = name.getText().toLowerCase(Locale.ROOT);
        AggregateFunction function = AGGREGATES.get(lower);
        if (function == null) {
            throw error(ErrorCode.WRONG_ARGUMENTS, (argument == null ? "'*'" : "DISTINCT") + " is an argument of an aggregate only,"
                    + " as in COUNT(*) or COUNT(DISTINCT brand); " + lower + " is not one", name);
        }
        if (argument == null && function != AggregateFunction.COUNT) {
            throw error(ErrorCode.WRONG_ARGUMENTS, lower + " takes a value, as in " + lower + "(price); only COUNT takes '*'", name);
        }
        if (distinct && function != AggregateFunction.COUNT) {
            throw error(ErrorCode.WRONG_ARGUMENTS, "DISTINCT is allowed in COUNT only, as in COUNT(DISTINCT brand)", name);
        }
        return new Expr.Aggregate(function, argument, distinct, s);
    }

    private static final java.util.Map<String, AggregateFunction> AGGREGATES = java.util.Map.of("count", AggregateFunction.COUNT,
            "sum", AggregateFunction.SUM, "avg", AggregateFunction.AVG, "min", AggregateFunction.MIN, "max", AggregateFunction.MAX);

    private Expr call(CallPrimaryContext f, Span s) {
        String name = f.IDENT().getText().toLowerCase(Locale.ROOT);
        List<ExprContext> given = f.expr();
        if (given.size() > limits.maxArguments()) {
            throw error(ErrorCode.LIST_TOO_LONG, name + " is called with " + given.size() + " arguments; the limit is "
                    + limits.maxArguments(), f.IDENT().getSymbol());
        }
        List<Expr> args = new ArrayList<>(given.size());
        for (ExprContext a : given) args.add(expr(a));
        if (AGGREGATES.containsKey(name)) {
            if (args.size() != 1) {
                throw error(ErrorCode.WRONG_ARGUMENTS, name + " takes one value, as in " + name + "(price)"
                        + (name.equals("count") ? ", or '*' to count documents" : ""), f.IDENT().getSymbol());
            }
            return aggregate(f.IDENT().getSymbol(), args.get(0), false, s);
        }
        if (name.equals("exists")) {
            if (args.size() != 1 || !(args.get(0) instanceof Expr.Field field)) {
                throw error(ErrorCode.WRONG_ARGUMENTS, "exists takes exactly one field, as in exists(price)", f.IDENT().getSymbol());
            }
            return new Expr.Exists(field, s);
        }
        if (name.equals("wasm_udf") || name.equals("python_udf")) {
            if (args.isEmpty() || !(args.get(0) instanceof Expr.Literal l && l.value() instanceof Value.StringValue sv)
                    || !UDF_NAME.matcher(sv.value()).matches()) {
                throw error(ErrorCode.WRONG_ARGUMENTS, name + " takes 'module.function' as its first argument, as in "
                        + name + "('text.distance', title)", f.IDENT().getSymbol());
            }
            String q = ((Value.StringValue) ((Expr.Literal) args.get(0)).value()).value();
            int dot = q.indexOf('.');
            return new Expr.UdfCall(name, q.substring(0, dot), q.substring(dot + 1), args.subList(1, args.size()), s);
        }
        return new Expr.Call(name, args, s);
    }

    private FieldPath path(PathContext p) {
        List<FieldPath.Step> steps = new ArrayList<>();
        for (int i = 0; i < p.getChildCount(); i++) {
            if (p.getChild(i) instanceof NameContext n) {
                steps.add(new FieldPath.Key(name(n)));
            } else if (p.getChild(i) instanceof TerminalNode t && t.getSymbol().getType() == StrataQueryLexer.INTEGER) {
                long pos = parseLong(t.getText(), t.getSymbol());
                if (pos > Integer.MAX_VALUE) throw error(ErrorCode.INVALID_LITERAL, "array position too large", t.getSymbol());
                steps.add(new FieldPath.Index((int) pos));
            }
        }
        return new FieldPath(steps);
    }

    private static String name(NameContext n) {
        if (n.BACKTICK_IDENT() != null) {
            String raw = n.BACKTICK_IDENT().getText();
            return raw.substring(1, raw.length() - 1).replace("``", "`");
        }
        return n.getText();
    }

    private Value literal(LiteralContext c) {
        return switch (c) {
            case IntegerLiteralContext i -> Value.of(parseLong(i.INTEGER().getText(), i.INTEGER().getSymbol()));
            case DecimalLiteralContext d -> Value.of(parseDouble(d.DECIMAL().getSymbol()));
            case StringLiteralContext s -> Value.of(unquote(s.STRING().getSymbol()));
            case BoolLiteralContext b -> Value.of(b.TRUE() != null);
            case NullLiteralContext n -> Value.NULL;
            case DateLiteralContext d -> {
                try {
                    yield new Value.DateValue(Temporal.parseDate(unquote(d.STRING().getSymbol())));
                } catch (IllegalArgumentException e) {
                    throw error(ErrorCode.INVALID_LITERAL, "bad DATE literal: " + e.getMessage(), d.STRING().getSymbol());
                }
            }
            case TimestampLiteralContext t -> {
                try {
                    yield new Value.TimestampValue(Temporal.parseTimestamp(unquote(t.STRING().getSymbol())));
                } catch (IllegalArgumentException e) {
                    throw error(ErrorCode.INVALID_LITERAL, "bad TIMESTAMP literal: " + e.getMessage(), t.STRING().getSymbol());
                }
            }
            default -> throw new IllegalStateException("unknown literal " + c.getClass());
        };
    }

    private long parseLong(String digits, Token t) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error(ErrorCode.INVALID_LITERAL, "integer literal out of the 64-bit range; write it as a decimal (e.g. "
                    + digits + ".0) for a float", t);
        }
    }

    private double parseDouble(Token t) {
        double d = Double.parseDouble(t.getText());
        if (!Double.isFinite(d)) throw error(ErrorCode.INVALID_LITERAL, "number out of range", t);
        return d;
    }

    private String unquote(Token t) {
        String raw = t.getText();
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 1; i < raw.length() - 1; i++) {
            char c = raw.charAt(i);
            if (c == '\'') {
                i++; // a doubled quote
                out.append('\'');
            } else if (c == '\\') {
                char e = raw.charAt(++i);
                switch (e) {
                    case '\'', '\\', '"' -> out.append(e);
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case '0' -> out.append('\0');
                    case 'u' -> {
                        String hex = i + 4 < raw.length() ? raw.substring(i + 1, i + 5) : "";
                        if (!hex.matches("[0-9a-fA-F]{4}")) {
                            throw error(ErrorCode.INVALID_LITERAL, "a \\u escape needs four hex digits", t);
                        }
                        out.append((char) Integer.parseInt(hex, 16));
                        i += 4;
                    }
                    default -> throw error(ErrorCode.INVALID_LITERAL, "unknown escape \\" + e
                            + " in string; use \\\\ for a backslash", t);
                }
            } else {
                out.append(c);
            }
        }
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < out.length() && Character.isLowSurrogate(out.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw error(ErrorCode.INVALID_LITERAL, String.format("a lone surrogate \\u%04x in a string: text must be valid"
                        + " Unicode (a high surrogate \\ud800-\\udbff followed by a low one \\udc00-\\udfff)", (int) c), t);
            }
        }
        return out.toString();
    }

    private QueryException error(ErrorCode code, String reason, Token t) {
        return new QueryException(code, reason, text, new Span(t.getLine(), t.getCharPositionInLine() + 1,
                t.getText().codePointCount(0, t.getText().length())));
    }

    private static Span span(ParserRuleContext c) { return span(c, c); }

    private static Span span(ParserRuleContext first, ParserRuleContext last) {
        Token start = first.getStart();
        Token stop = last.getStop() == null ? start : last.getStop();
        int length = Math.max(1, stop.getStopIndex() - start.getStartIndex() + 1);
        return new Span(start.getLine(), start.getCharPositionInLine() + 1, length);
    }
}
