package dev.strata.core.spi;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.value.ValueKind;
import java.util.List;

/**
 * Binds a UDF call found inside an expression to the tier that owns it, so the expression tier
 * can call {@code wasm_udf(...) * 2 > price} without importing that tier. The planner provides it.
 */
@FunctionalInterface
public interface UdfResolver {
    /**
     * Called once per query and call site, at plan time.
     *
     * @param argumentKinds the kind of each argument as far as known at compile time: null when it
     *     may be of several kinds, {@link ValueKind#NULL} for a literal null
     * @throws StrataException TIER_NOT_INSTALLED, UNKNOWN_FUNCTION or WRONG_ARGUMENTS (arity or
     *     kinds that cannot convert to the parameters); the caller adds the position
     */
    UdfFunction resolve(Expr.UdfCall call, List<ValueKind> argumentKinds);

    UdfResolver NONE = (call, kinds) -> {
        throw new StrataException(ErrorCode.TIER_NOT_INSTALLED,
                "the " + call.tier() + " tier is not installed, so " + call.tier() + "('"
                        + call.qualifiedName() + "', ...) cannot run");
    };
}
