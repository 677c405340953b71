package dev.strata.core.ast;

public enum ComparisonOp {
    EQ("="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    ComparisonOp(String symbol) { this.symbol = symbol; }

    public String symbol() { return symbol; }

    /** Whether {@code cmp} (negative, zero, positive, as from a comparator) satisfies this operator. */
    public boolean test(int cmp) {
        return switch (this) {
            case EQ -> cmp == 0;
            case NE -> cmp != 0;
            case LT -> cmp < 0;
            case LE -> cmp <= 0;
            case GT -> cmp > 0;
            case GE -> cmp >= 0;
        };
    }

    /** The operator with its operands swapped: {@code a < b} is {@code b > a}. */
    public ComparisonOp flip() {
        return switch (this) {
            case LT -> GT;
            case LE -> GE;
            case GT -> LT;
            case GE -> LE;
            default -> this;
        };
    }
}
