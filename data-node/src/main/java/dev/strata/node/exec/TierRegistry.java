package dev.strata.node.exec;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.ClauseCompiler;
import dev.strata.core.spi.TierProvider;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModules;
import dev.strata.core.spi.UdfResolver;
import dev.strata.core.spi.ValueCompiler;
import dev.strata.core.value.ValueKind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The tiers installed in this node, found with {@link ServiceLoader} at start. A missing tier is
 * not an error until a query needs it; then the error names it.
 */
public final class TierRegistry implements UdfResolver {
    private final Map<String, TierProvider> tiers = new LinkedHashMap<>();

    public TierRegistry(List<TierProvider> providers) {
        for (TierProvider p : providers) tiers.putIfAbsent(p.name(), p);
    }

    /** The tiers on the class path. */
    public static TierRegistry load() {
        return new TierRegistry(ServiceLoader.load(TierProvider.class).stream().map(ServiceLoader.Provider::get).toList());
    }

    public List<String> names() { return List.copyOf(tiers.keySet()); }

    /** The installed tiers, in discovery order. */
    public java.util.Collection<TierProvider> providers() { return tiers.values(); }

    /** The module registry of a UDF tier, or a TIER_NOT_INSTALLED / INVALID_REQUEST error. */
    public UdfModules modules(String tier) {
        TierProvider p = require(tier);
        if (p != null && p.modules().isPresent()) return p.modules().get();
        throw new StrataException(ErrorCode.INVALID_REQUEST, "the " + tier + " tier has no user modules");
    }

    /** Sum of the UDF tiers' generations: changes whenever any module changes. */
    public long udfGeneration() {
        long g = 0;
        for (TierProvider p : tiers.values()) g += p.modules().map(UdfModules::generation).orElse(0L);
        return g;
    }

    /** The clause compilation of the first tier that offers it: the expression tier (a UDF call inside a clause goes to its own tier). */
    public ClauseCompiler clauses() {
        for (TierProvider p : tiers.values()) if (p.clauses().isPresent()) return p.clauses().get();
        throw new StrataException(ErrorCode.TIER_NOT_INSTALLED, "no installed tier compiles conditions (the expression tier is missing)");
    }

    /** The value compilation (sort keys, scores) of the first tier that offers it: the expression tier. */
    public ValueCompiler values() {
        for (TierProvider p : tiers.values()) if (p.values().isPresent()) return p.values().get();
        throw new StrataException(ErrorCode.TIER_NOT_INSTALLED, "no installed tier computes values (the expression tier is missing)");
    }

    /** The tier called {@code name}, or a TIER_NOT_INSTALLED error naming it. */
    public TierProvider require(String name) {
        TierProvider p = tiers.get(name);
        if (p == null) {
            throw new StrataException(ErrorCode.TIER_NOT_INSTALLED, "the " + name + " tier is not installed in this node"
                    + " (installed: " + String.join(", ", tiers.keySet()) + ")");
        }
        return p;
    }

    /** The call goes to the functions of the tier it names ({@link TierProvider#functions}). */
    @Override
    public UdfFunction resolve(Expr.UdfCall call, List<ValueKind> argumentKinds) {
        TierProvider t = tiers.get(call.tier());
        if (t != null && t.functions().isPresent()) return t.functions().get().resolve(call, argumentKinds);
        return UdfResolver.NONE.resolve(call, argumentKinds);
    }
}
