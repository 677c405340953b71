package dev.strata.python;

import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.TierFactory;
import dev.strata.python.internal.PythonRegistry;

/**
 * Creates the python_udf tier: the registry on the tier's directory, with the stored modules
 * declared and loading into the workers in the background ({@code /health} says "starting" until
 * they are ready).
 */
public final class PythonTierFactory implements TierFactory {
    @Override
    public String name() { return "python_udf"; }

    @Override
    public PythonTierProvider create(TierEnvironment environment) {
        PythonRegistry registry = new PythonRegistry(environment);
        registry.loadStored();
        return new PythonTierProvider(registry);
    }
}
