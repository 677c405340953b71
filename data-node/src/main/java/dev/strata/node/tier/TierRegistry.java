package dev.strata.node.tier;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.ClauseCompiler;
import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.TierFactory;
import dev.strata.core.spi.TierProvider;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModules;
import dev.strata.core.spi.UdfResolver;
import dev.strata.core.spi.ValueCompiler;
import dev.strata.core.value.ValueKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The tiers installed in this node, created by the factories {@link ServiceLoader} finds at start. A missing tier is
 * not an error until a query needs it; then the error names it.
 */
public final class TierRegistry implements UdfResolver {
    private final Map<String, TierProvider> tiers = new LinkedHashMap<>();

    public TierRegistry(List<TierProvider> providers) {
        for (TierProvider p : providers) tiers.putIfAbsent(p.name(), p);
    }

    /**
     * Creates the tiers whose factories are on the class path, each with its own directory {@code
     * udfs/NAME} under {@code udfsDirectory}. When one fails to start, those created are closed and
     * the error goes up: a node does not start with a tier half there.
     */
    public static TierRegistry create(Path udfsDirectory, Map<String, String> settings) {
        List<TierProvider> created = new ArrayList<>();
        try {
            for (TierFactory f : ServiceLoader.load(TierFactory.class)) {
                created.add(f.create(new TierEnvironment(udfsDirectory.resolve(f.name()), settings)));
            }
        } catch (RuntimeException e) {
            for (TierProvider p : created) closeQuietly(p, e);
            throw e;
        }
        return new TierRegistry(created);
    }

    private static void closeQuietly(TierProvider p, RuntimeException cause) {
        try {
            p.close();
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    /** The names of the tiers found on the class path, without creating them. */
    public static List<String> installed() {
        return ServiceLoader.load(TierFactory.class).stream().map(ServiceLoader.Provider::get).map(TierFactory::name).toList();
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
