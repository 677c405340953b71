package dev.strata.core;

import dev.strata.core.ast.Span;

/**
 * An error tied to a place in the query text. {@link #getMessage()} is the full, human message:
 * the reason with line and column, then the query line and a caret under the offending text.
 */
public final class QueryException extends StrataException {
    private static final long serialVersionUID = 1L;
    private final String reason;
    private final int line;
    private final int column;

    public QueryException(ErrorCode code, String reason, String query, Span span) {
        super(code, render(reason, query, span));
        this.reason = reason;
        this.line = span.line();
        this.column = span.column();
    }

    /** The reason alone, without position or caret. */
    public String reason() { return reason; }

    /** 1-based line of the offending text. */
    public int line() { return line; }

    /** 1-based column (in code points) of the offending text. */
    public int column() { return column; }

    private static String render(String reason, String query, Span span) {
        StringBuilder out = new StringBuilder();
        out.append(reason).append(" at line ").append(span.line()).append(", column ").append(span.column());
        if (query != null) {
            String[] lines = query.split("\r\n|\r|\n", -1);
            if (span.line() >= 1 && span.line() <= lines.length) {
                String text = lines[span.line() - 1];
                out.append('\n').append("  ").append(text).append('\n').append("  ");
                int col = Math.max(1, span.column());
                for (int i = 1; i < col; i++) {
                    out.append(i - 1 < text.length() && text.charAt(i - 1) == '\t' ? '\t' : ' ');
                }
                int width = Math.max(1, Math.min(span.length(), text.codePointCount(0, text.length()) - col + 1));
                out.append("^".repeat(width));
            }
        }
        return out.toString();
    }
}
