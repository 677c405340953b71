/**
 * The expression tier: type checking and vector kernels. Its {@code internal} package (the type
 * checker, the binder, the kernels) is not exported; {@code naive} is the tree-walking evaluator
 * kept as a test oracle.
 */
module dev.strata.expr {
    requires transitive dev.strata.core;

    exports dev.strata.expr;
    exports dev.strata.expr.naive;

    provides dev.strata.core.spi.TierFactory with dev.strata.expr.ExpressionTierFactory;
}
