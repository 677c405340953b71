package dev.strata.core.spi;

import dev.strata.core.ast.Expr;

/**
 * What a tier that computes values offers ({@link TierProvider#values()}): sort keys and scores,
 * compiled once per query by the planner.
 */
public interface ValueCompiler {
    /**
     * Compiles an ORDER BY key, which may read {@code _score}.
     *
     * @throws dev.strata.core.StrataException with a user code and a position when the value is wrong
     */
    CompiledValue compileSortKey(Expr key, CompileContext context);

    /**
     * Compiles a {@code SET _score} expression: it must be able to give a number (a null or
     * missing value is "no score"); a string or bool expression is TYPE_MISMATCH with its position.
     * It may not read {@code _score}.
     */
    CompiledValue compileScore(Expr score, CompileContext context);
}
