package dev.strata.expr;

import dev.strata.core.spi.ClauseCompiler;
import dev.strata.core.spi.TierProvider;
import dev.strata.core.spi.ValueCompiler;

/**
 * The expression tier: comparisons, boolean logic, arithmetic and string functions, compiled into
 * vector kernels over columnar segments. It compiles every condition; a UDF call inside one is
 * evaluated through the {@link dev.strata.core.spi.UdfResolver} the planner provides.
 */
public final class ExpressionTierProvider implements TierProvider {
    public static final String NAME = "expression";

    @Override
    public String name() { return NAME; }

    @Override
    public java.util.Optional<ClauseCompiler> clauses() { return java.util.Optional.of(ExpressionCompiler::compileFilter); }

    @Override
    public java.util.Optional<ValueCompiler> values() { return java.util.Optional.of(ExpressionCompiler.VALUES); }
}
