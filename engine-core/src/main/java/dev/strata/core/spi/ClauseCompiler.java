package dev.strata.core.spi;

import dev.strata.core.ast.Expr;

/** What a tier that evaluates conditions offers ({@link TierProvider#clauses()}): a clause compiled once per query. */
public interface ClauseCompiler {
    /**
     * Compiles a boolean clause. Called once per query and clause, never per document.
     *
     * @throws dev.strata.core.StrataException with a user code (and a position, as a
     *     {@link dev.strata.core.QueryException}) when the clause is wrong, e.g. badly typed
     */
    CompiledClause compile(Expr clause, CompileContext context);
}
