package dev.strata.python;

import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.udf.UdfTier;
import dev.strata.python.internal.PythonRegistry;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code python_udf} tier: user functions in Python on GraalPy, isolated in worker processes
 * by default. Like the WASM tier, it evaluates {@code python_udf('module.function', ...)} calls the
 * expression tier meets inside clauses, and keeps the module registry.
 *
 * <p>Settings: {@code python.workers} (1), {@code python.worker.heap-mb} (512), {@code
 * python.compiler-dir} (the Graal compiler jars for the JIT; found in the source tree by default),
 * {@code python.in-process.contexts} (contexts per in-process module), {@code
 * python.worker.start-timeout-ms} (300,000: how long a worker may take to become ready), {@code
 * python.load-timeout-ms} (60,000: how long a module's top level may run in a ready worker), {@code
 * python.worker.wait-ms} (300,000: how long a registration waits for a ready worker), {@code
 * python.result.max-bytes} (1 MiB: the longest string result).
 */
public final class PythonTierProvider extends UdfTier {
    PythonTierProvider(PythonRegistry registry) { super("python_udf", registry); }

    /** A ready tier on {@code dir}, for embedding and benchmarks (the node uses {@link PythonTierFactory}). */
    public static PythonTierProvider openAt(Path dir, Map<String, String> settings) {
        return new PythonTierFactory().create(new TierEnvironment(dir, settings));
    }
}
