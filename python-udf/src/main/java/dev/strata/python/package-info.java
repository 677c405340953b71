/**
 * The Python UDF tier on GraalPy (filled by the Python tier issue). It will implement
 * {@link dev.strata.core.spi.TierProvider} and {@link dev.strata.core.spi.UdfResolver}, and no
 * polyglot type may appear outside this module. Depends on engine-core only.
 */
package dev.strata.python;
