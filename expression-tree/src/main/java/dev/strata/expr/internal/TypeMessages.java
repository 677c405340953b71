package dev.strata.expr.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Span;
import dev.strata.core.spi.CompileContext;
import dev.strata.core.value.Value;
import java.util.Set;

/** How a type error reads: the offending text quoted with its line and column, and what it holds. */
final class TypeMessages {
    private final CompileContext context;

    TypeMessages(CompileContext context) { this.context = context; }

    String where(Expr e) {
        String text = context.queryText();
        Span s = e.span();
        String at = s == null || s.line() == 0 ? "" : " at line " + s.line() + ", column " + s.column();
        if (text == null || s == null || s.line() != 1) return "an expression" + at;
        int from = text.offsetByCodePoints(0, Math.min(s.column() - 1, text.codePointCount(0, text.length())));
        int to = Math.min(text.length(), from + s.length());
        return "'" + text.substring(from, to) + "'" + at;
    }

    static String describe(Expr e, Set<Type> types) {
        String kinds = types == null ? "null" : types.size() == Type.values().length ? "of any type"
                : String.join(" or ", types.stream().map(Type::display).toList());
        return switch (e) {
            case Expr.Field f -> "field " + f.path() + " (" + kinds + ")";
            case Expr.Literal l -> (l.value() instanceof Value.StringValue s ? "'" + s.value() + "'"
                    : dev.strata.core.value.Json.write(l.value())) + " (" + kinds + ")";
            default -> "a " + kinds + " expression";
        };
    }

    QueryException error(ErrorCode code, String reason, Expr at) {
        Span s = at.span() == null || at.span().line() == 0 ? new Span(1, 1, 1) : at.span();
        return new QueryException(code, reason, context.queryText(), s);
    }
}
