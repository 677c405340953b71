package dev.strata.core.ast;

/** The aggregates a grouped query computes per group. */
public enum AggregateFunction {
    /** {@code COUNT(*)} counts documents; {@code COUNT(x)} counts non-null values; {@code COUNT(DISTINCT x)} distinct ones. */
    COUNT,
    /** The sum of the numbers (other values are skipped); null when there are none. */
    SUM,
    /** The mean of the numbers as a float; null when there are none. */
    AVG,
    /** The smallest non-null value in ORDER BY's order (values of different kinds by kind). */
    MIN,
    /** The largest non-null value in ORDER BY's order. */
    MAX;

    /** The function as written in a query, upper-case. */
    public String sql() { return name(); }
}
