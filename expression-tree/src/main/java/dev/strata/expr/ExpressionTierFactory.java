package dev.strata.expr;

import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.TierFactory;

/** Creates the expression tier; it keeps nothing on disk, so the environment is not used. */
public final class ExpressionTierFactory implements TierFactory {
    @Override
    public String name() { return ExpressionTierProvider.NAME; }

    @Override
    public ExpressionTierProvider create(TierEnvironment environment) { return new ExpressionTierProvider(); }
}
