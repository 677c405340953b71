package dev.strata.parser;

import dev.strata.core.ErrorCode;
import dev.strata.core.QueryException;
import dev.strata.core.ast.Expr;
import dev.strata.core.ast.Query;
import dev.strata.core.ast.Span;
import dev.strata.parser.internal.AstBuilder;
import dev.strata.parser.internal.ExpectedWords;
import dev.strata.parser.internal.StrataQueryLexer;
import dev.strata.parser.internal.StrataQueryParser;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Turns query text into a {@link Query}. Thread-safe and cheap to share; each call builds its own
 * lexer and parser (ANTLR's prediction cache is shared and warms up across calls).
 *
 * <p>Errors: exactly one {@link QueryException} per bad query, with line, column, a caret and at
 * most six expected items in words. Before parsing, the token stream is checked for an
 * unterminated string, an illegal character and the nesting limit, each with its own message.
 * Parsing runs SLL with bail-out first (fast, and right for almost every valid query), then full
 * LL with error reporting only when SLL fails.
 */
public final class QueryParser {
    private final ParserLimits limits;

    public QueryParser() { this(ParserLimits.DEFAULT); }

    public QueryParser(ParserLimits limits) { this.limits = limits; }

    public Query parse(String text) {
        StrataQueryParser parser = prepare(text);
        StrataQueryParser.QueryContext tree;
        try {
            tree = parser.query();
        } catch (ParseCancellationException sllFailed) {
            parser = fullParser(parser, text);
            tree = parser.query();
        }
        Query q = new AstBuilder(text, limits).query(tree);
        if (q.filter() == null && q.score() == null && q.orderBy().isEmpty() && q.limit().isEmpty() && q.select() == null
                && q.groupBy().isEmpty()) {
            throw new QueryException(ErrorCode.QUERY_SYNTAX, "the query is empty; write a condition such as price > 10",
                    text, new Span(1, 1, 1));
        }
        return q;
    }

    /** Parses a lone expression (no ORDER BY or LIMIT), e.g. for a UDF argument or a test. */
    public Expr parseExpression(String text) {
        Query q = parse(text);
        if (q.filter() == null || q.score() != null || !q.orderBy().isEmpty() || q.limit().isPresent()) {
            throw new QueryException(ErrorCode.QUERY_SYNTAX, "expected a single expression", text, new Span(1, 1, 1));
        }
        return q.filter();
    }

    private StrataQueryParser prepare(String text) {
        if (text.length() > limits.maxLength()) {
            throw new QueryException(ErrorCode.QUERY_TOO_LONG, "the query is " + text.length()
                    + " characters long; the limit is " + limits.maxLength(), null, new Span(1, 1, 1));
        }
        StrataQueryLexer lexer = new StrataQueryLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        tokens.fill();
        checkTokens(tokens.getTokens(), text);
        StrataQueryParser parser = new StrataQueryParser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        parser.setErrorHandler(new BailErrorStrategy());
        return parser;
    }

    private StrataQueryParser fullParser(StrataQueryParser sll, String text) {
        CommonTokenStream tokens = (CommonTokenStream) sll.getTokenStream();
        tokens.seek(0);
        StrataQueryParser parser = new StrataQueryParser(tokens);
        parser.removeErrorListeners();
        parser.getInterpreter().setPredictionMode(PredictionMode.LL);
        parser.setErrorHandler(new DefaultErrorStrategy());
        parser.addErrorListener(new FirstErrorThrower(text));
        return parser;
    }

    private void checkTokens(List<Token> tokens, String text) {
        int depth = 0;
        int prefixRun = 0;
        for (Token t : tokens) {
            switch (t.getType()) {
                case StrataQueryLexer.UNTERMINATED_STRING -> throw new QueryException(ErrorCode.QUERY_SYNTAX,
                        "unterminated string: a string opened here has no closing quote", text, span(t, 1));
                case StrataQueryLexer.UNTERMINATED_BACKTICK -> throw new QueryException(ErrorCode.QUERY_SYNTAX,
                        "unterminated quoted name: a ` opened here has no closing `", text, span(t, 1));
                case StrataQueryLexer.ILLEGAL_CHAR -> throw new QueryException(ErrorCode.QUERY_SYNTAX,
                        "illegal character " + describeChar(t.getText()), text, span(t, 1));
                default -> { }
            }
            int type = t.getType();
            if (type == StrataQueryLexer.LPAREN || type == StrataQueryLexer.LBRACKET) {
                depth++;
            } else if (type == StrataQueryLexer.RPAREN || type == StrataQueryLexer.RBRACKET) {
                depth = Math.max(0, depth - 1);
            }
            if (type == StrataQueryLexer.NOT || type == StrataQueryLexer.BANG || type == StrataQueryLexer.MINUS) {
                prefixRun++;
            } else if (type != StrataQueryLexer.LPAREN) {
                prefixRun = 0;
            }
            if (depth + prefixRun > limits.maxDepth()) {
                throw new QueryException(ErrorCode.QUERY_TOO_DEEP, "the query nests deeper than "
                        + limits.maxDepth() + " levels", text, span(t, t.getText().codePointCount(0, t.getText().length())));
            }
        }
    }

    private static String describeChar(String c) {
        int cp = c.codePointAt(0);
        return Character.isISOControl(cp) || Character.isWhitespace(cp)
                ? String.format("U+%04X", cp) : "'" + c + "' (U+" + String.format("%04X", cp) + ")";
    }

    static Span span(Token t, int length) {
        return new Span(t.getLine(), t.getCharPositionInLine() + 1, Math.max(1, length));
    }

    /** Turns ANTLR's first syntax error into our one message, and stops. */
    private static final class FirstErrorThrower extends BaseErrorListener {
        private final String text;

        FirstErrorThrower(String text) { this.text = text; }

        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int column,
                                String antlrMessage, RecognitionException e) {
            Parser parser = (Parser) recognizer;
            Token offending = (Token) offendingSymbol;
            IntervalSet expected = e != null && e.getExpectedTokens() != null ? e.getExpectedTokens() : parser.getExpectedTokens();
            if (offending.getTokenIndex() > 0) {
                expected = ExpectedWords.afterOperand(expected,
                        parser.getTokenStream().get(offending.getTokenIndex() - 1).getType());
            }
            String found = offending.getType() == Token.EOF ? "end of query" : "'" + offending.getText() + "'";
            String words = ExpectedWords.describe(expected);
            String reason = "unexpected " + found + (words.isEmpty() ? "" : "; expected " + words);
            int length = offending.getType() == Token.EOF ? 1 : offending.getText().codePointCount(0, offending.getText().length());
            throw new QueryException(ErrorCode.QUERY_SYNTAX, reason, text, new Span(line, column + 1, length));
        }
    }
}
