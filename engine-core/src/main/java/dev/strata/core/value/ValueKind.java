package dev.strata.core.value;

/** The kinds of value a document or a query can hold. Ordinal order is stable: columns store it. */
public enum ValueKind {
    NULL, BOOL, INT, FLOAT, STRING, DATE, TIMESTAMP, ARRAY, OBJECT;

    public boolean isNumeric() { return this == INT || this == FLOAT; }

    public boolean isTemporal() { return this == DATE || this == TIMESTAMP; }

    /** Lower-case name used in messages ("int", "string", ...). */
    public String display() { return name().toLowerCase(java.util.Locale.ROOT); }
}
