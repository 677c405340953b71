package dev.strata.expr.internal;

import dev.strata.core.value.ValueKind;

/** Static types after checking. Dates are epoch days, timestamps epoch micros, bools 0/1 in long vectors. */
public enum Type {
    BOOL, INT, FLOAT, STRING, DATE, TIMESTAMP;

    /** Whether values of this type travel in long vectors. */
    public boolean isLong() { return this == INT || this == DATE || this == TIMESTAMP || this == BOOL; }

    public String display() { return name().toLowerCase(java.util.Locale.ROOT); }

    public static Type of(ValueKind k) {
        return switch (k) {
            case BOOL -> BOOL;
            case INT -> INT;
            case FLOAT -> FLOAT;
            case STRING -> STRING;
            case DATE -> DATE;
            case TIMESTAMP -> TIMESTAMP;
            default -> null;
        };
    }
}
