package dev.strata.core.ast;

/**
 * Where a node was written: 1-based line and column (in code points), and its length in code points.
 *
 * <p>A span is metadata, not meaning: all spans are equal to each other, so two AST nodes that
 * differ only in where they were written are equal. That keeps {@code parse(print(ast)).equals(ast)}
 * a statement about structure.
 */
public final class Span {
    public static final Span NONE = new Span(0, 0, 0);

    private final int line;
    private final int column;
    private final int length;

    public Span(int line, int column, int length) {
        this.line = line;
        this.column = column;
        this.length = length;
    }

    public int line() { return line; }

    public int column() { return column; }

    public int length() { return length; }

    @Override
    public boolean equals(Object other) { return other instanceof Span; }

    @Override
    public int hashCode() { return 0; }

    @Override
    public String toString() { return line + ":" + column; }
}
