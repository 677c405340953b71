package dev.strata.core.spi;

/**
 * Creates a ready tier, found with {@link java.util.ServiceLoader} (as Trino's {@code
 * ConnectorFactory}): the node calls {@link #create} once at start, with a directory the tier owns,
 * and gets back a tier that can serve. There is no second phase: loading stored modules and
 * pre-warming happen inside {@code create}, never on the query path.
 */
public interface TierFactory {
    /** The name of the tier this factory creates ("expression", "wasm_udf", "python_udf"). */
    String name();

    /**
     * Creates the tier. Called once per node start, on the starting thread.
     *
     * @throws RuntimeException when the tier cannot start; the node does not start then and says why
     */
    TierProvider create(TierEnvironment environment);
}
