/**
 * The Python tier's machinery: the shared engine and sandboxed contexts, module checking, the two
 * ways to run a function (in this JVM, or in a worker process over {@code WorkerProtocol}), the
 * worker pool and the registry. Polyglot types live here and nowhere else.
 */
package dev.strata.python.internal;
