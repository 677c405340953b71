package dev.strata.parser;

/**
 * Bounds on what one query may ask of the parser, so a hostile query cannot exhaust the stack or
 * memory of the node.
 *
 * @param maxLength longest query, in characters
 * @param maxDepth deepest nesting of parentheses, brackets and prefix operators
 * @param maxListSize most items in one IN list
 * @param maxTreeDepth deepest expression tree: nesting plus each operator of a chain such as
 *     {@code a + b + c} (long AND and OR chains are grouped and barely count), so that every pass
 *     over the tree stays far from the thread's stack limit
 * @param maxArguments most arguments of one function call
 */
public record ParserLimits(int maxLength, int maxDepth, int maxListSize, int maxTreeDepth, int maxArguments) {
    public static final ParserLimits DEFAULT = new ParserLimits(65_536, 128, 10_000, 256, 1_000);

    public ParserLimits {
        if (maxLength < 1 || maxDepth < 1 || maxListSize < 1 || maxTreeDepth < 1 || maxArguments < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    /** The given limits, with the default tree depth and argument count. */
    public ParserLimits(int maxLength, int maxDepth, int maxListSize) {
        this(maxLength, maxDepth, maxListSize, DEFAULT_TREE_DEPTH, DEFAULT_ARGUMENTS);
    }

    private static final int DEFAULT_TREE_DEPTH = 256;
    private static final int DEFAULT_ARGUMENTS = 1_000;
}
