/**
 * The Python UDF tier on GraalPy: {@link dev.strata.python.PythonTierProvider} is its only public
 * entry, found by {@link java.util.ServiceLoader}. No polyglot type appears in a public signature
 * outside this module. Depends on engine-core only.
 *
 * <p>Why worker processes by default: the community edition of GraalPy cannot stop a loop inside a
 * builtin or bound a context's heap, so a hostile function could hang or kill the JVM it runs in.
 * A worker is a JVM of its own with a capped heap that the node can kill and replace; the
 * in-process mode trades that safety for latency and is opt-in per module.
 */
package dev.strata.python;
