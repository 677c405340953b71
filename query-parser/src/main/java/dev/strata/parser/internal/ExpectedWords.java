package dev.strata.parser.internal;

import static dev.strata.parser.internal.StrataQueryParser.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/** Says what the parser expected in words a user knows, never ANTLR token names; six at most. */
public final class ExpectedWords {
    private ExpectedWords() {}

    private static final Set<Integer> EXPRESSION_START = Set.of(INTEGER, DECIMAL, STRING, TRUE, FALSE, NULL,
            DATE, TIMESTAMP, IDENT, BACKTICK_IDENT, ID_FIELD, SCORE_FIELD, LPAREN, MINUS, NOT, BANG, MISSING, GROUP, DISTINCT);
    private static final Set<Integer> OPERATORS = Set.of(EQ, EQEQ, NEQ, LTGT, LT, LE, GT, GE, PLUS, MINUS, STAR,
            SLASH, PERCENT, BETWEEN, IN, LIKE, ILIKE, IS, NOT);

    /** Describes {@code tokens} as {@code words} when all {@code triggers} are expected (or, if none, any token). */
    private record Rule(String words, Set<Integer> tokens, Set<Integer> triggers) {
        Rule(String words, Set<Integer> tokens) { this(words, tokens, Set.of()); }

        boolean applies(List<Integer> expected) {
            return triggers.isEmpty() ? expected.stream().anyMatch(tokens::contains) : expected.containsAll(triggers);
        }
    }

    // In priority order; a token is described by the first rule that claims it.
    private static final List<Rule> RULES = List.of(
            new Rule("an expression", EXPRESSION_START, Set.of(IDENT, INTEGER)),
            new Rule("an operator such as = < + BETWEEN IN LIKE IS", OPERATORS, Set.of(EQ)),
            new Rule("AND", Set.of(AND, DOUBLE_AMP)),
            new Rule("OR", Set.of(OR, DOUBLE_PIPE)),
            new Rule("')'", Set.of(RPAREN)),
            new Rule("','", Set.of(COMMA)),
            new Rule("the end of the query", Set.of(Token.EOF)),
            new Rule("ORDER BY", Set.of(ORDER)),
            new Rule("LIMIT", Set.of(LIMIT)),
            new Rule("SET _score =", Set.of(SET)),
            new Rule("AS", Set.of(AS)),
            new Rule("'('", Set.of(LPAREN)),
            new Rule("']'", Set.of(RBRACKET)),
            new Rule("a field name", Set.of(IDENT, BACKTICK_IDENT, DATE, TIMESTAMP, MISSING, GROUP, DISTINCT), Set.of(IDENT)),
            new Rule("GROUP BY", Set.of(GROUP)), // after field names: where a name may stand, GROUP is one
            new Rule("a quoted string", Set.of(STRING)),
            new Rule("a whole number", Set.of(INTEGER)),
            new Rule("NULL", Set.of(NULL)),
            new Rule("MISSING", Set.of(MISSING)),
            new Rule("NOT", Set.of(NOT)),
            new Rule("'='", Set.of(EQ)),
            new Rule("_score", Set.of(SCORE_FIELD)),
            new Rule("BY", Set.of(BY)),
            new Rule("ASC or DESC", Set.of(ASC, DESC)),
            new Rule("OFFSET", Set.of(OFFSET)));

    /**
     * ANTLR has already left the expression when it meets a stray token after a complete operand
     * ({@code price 10}); then an operator, AND or OR could also have come, so say so.
     */
    public static IntervalSet afterOperand(IntervalSet expected, int previousTokenType) {
        boolean operandEnded = switch (previousTokenType) {
            case IDENT, BACKTICK_IDENT, INTEGER, DECIMAL, STRING, TRUE, FALSE, NULL, RPAREN, RBRACKET, ID_FIELD,
                 SCORE_FIELD, MISSING, DATE, TIMESTAMP, GROUP, DISTINCT -> true;
            default -> false;
        };
        if (!operandEnded || expected.contains(EQ) || !(expected.contains(Token.EOF) || expected.contains(RPAREN)
                || expected.contains(COMMA))) {
            return expected;
        }
        IntervalSet more = new IntervalSet(expected);
        for (int t : OPERATORS) more.add(t);
        more.add(AND);
        more.add(OR);
        return more;
    }

    public static String describe(IntervalSet expected) {
        if (expected == null || expected.isNil()) return "";
        List<Integer> left = new ArrayList<>(expected.toList());
        List<String> words = new ArrayList<>();
        for (Rule r : RULES) {
            if (r.applies(left)) {
                if (!words.contains(r.words())) words.add(r.words());
                left.removeAll(r.tokens());
            }
        }
        if (words.size() > 6) words = words.subList(0, 6);
        if (words.size() <= 1) return String.join("", words);
        return String.join(", ", words.subList(0, words.size() - 1)) + " or " + words.get(words.size() - 1);
    }
}
