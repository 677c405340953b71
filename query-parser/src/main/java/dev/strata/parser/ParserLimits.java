package dev.strata.parser;

/**
 * Bounds on what one query may ask of the parser, so a hostile query cannot exhaust the stack or
 * memory of the node.
 *
 * @param maxLength longest query, in characters
 * @param maxDepth deepest nesting of parentheses, brackets and prefix operators
 * @param maxListSize most items in one IN list
 */
public record ParserLimits(int maxLength, int maxDepth, int maxListSize) {
    public static final ParserLimits DEFAULT = new ParserLimits(65_536, 128, 10_000);

    public ParserLimits {
        if (maxLength < 1 || maxDepth < 1 || maxListSize < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
