package dev.strata.core.udf;

import dev.strata.core.ast.Expr;
import dev.strata.core.spi.TierHealth;
import dev.strata.core.spi.TierProvider;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.spi.UdfModules;
import dev.strata.core.spi.UdfResolver;
import dev.strata.core.value.ValueKind;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The shape both UDF tiers share: a tier whose capabilities are user functions ({@link
 * #functions()}) and their registry ({@link #modules()}), both served by one {@link UdfRegistry}.
 * It compiles no clauses itself: a UDF call runs inside an expression stage, through the
 * resolver. A tier module extends it with its factory's constructor.
 */
public abstract class UdfTier implements TierProvider, UdfModules, UdfResolver {
    private final String name;
    private final UdfRegistry registry;

    protected UdfTier(String name, UdfRegistry registry) {
        this.name = Objects.requireNonNull(name, "name");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public final String name() { return name; }

    @Override
    public final Optional<UdfResolver> functions() { return Optional.of(this); }

    @Override
    public final Optional<UdfModules> modules() { return Optional.of(this); }

    @Override
    public final UdfFunction resolve(Expr.UdfCall call, List<ValueKind> argumentKinds) { return registry.resolve(call, argumentKinds); }

    @Override
    public final UdfModuleInfo register(UdfModuleSource source) { return registry.register(source); }

    @Override
    public final List<UdfModuleInfo> list() { return registry.list(); }

    @Override
    public final Optional<UdfModuleInfo> describe(String module) { return registry.describe(module); }

    @Override
    public final boolean unload(String module) { return registry.unload(module); }

    @Override
    public final long generation() { return registry.generation(); }

    @Override
    public final TierHealth health() { return registry.health(); }

    @Override
    public final void close() { registry.close(); }
}
