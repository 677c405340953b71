/**
 * The python_udf tier: user functions in Python on GraalPy. Only {@code dev.strata.python} (the
 * factory and the tier) is exported; {@code internal} (registry, worker pool and protocol, contexts)
 * stays closed, and no polyglot type appears in an exported signature. The worker process runs
 * {@code internal.PythonWorkerMain} on the class path.
 */
module dev.strata.python {
    requires transitive dev.strata.core;
    requires org.graalvm.polyglot;
    requires org.slf4j;

    exports dev.strata.python;

    provides dev.strata.core.spi.TierFactory with dev.strata.python.PythonTierFactory;
}
