package dev.strata.core.spi;

import dev.strata.core.ast.Expr;

/** What a tier that computes values offers ({@link TierProvider#values()}): sort keys and scores, compiled once per query. */
public interface ValueCompiler {
    /**
     * Compiles a value for ORDER BY ({@code scoreAllowed}: it may read {@code _score}) or SET _score.
     *
     * @throws dev.strata.core.StrataException with a user code and a position when the value is wrong
     */
    CompiledValue compileValue(Expr value, CompileContext context, boolean scoreAllowed);
}
