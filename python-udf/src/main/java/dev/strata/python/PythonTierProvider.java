package dev.strata.python;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.TierHealth;
import dev.strata.core.spi.TierProvider;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.spi.UdfModules;
import dev.strata.core.spi.UdfResolver;
import dev.strata.core.value.ValueKind;
import dev.strata.python.internal.PythonRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
public final class PythonTierProvider implements TierProvider, UdfResolver, UdfModules {
    private final PythonRegistry registry;

    PythonTierProvider(PythonRegistry registry) { this.registry = registry; }

    /** A ready tier on {@code dir}, for embedding and benchmarks (the node uses {@link PythonTierFactory}). */
    public static PythonTierProvider openAt(Path dir, java.util.Map<String, String> settings) {
        return new PythonTierFactory().create(new TierEnvironment(dir, settings));
    }

    @Override
    public String name() { return "python_udf"; }

    @Override
    public void close() { registry.close(); }

    @Override
    public TierHealth health() {
        return registry.health();
    }

    @Override
    public UdfFunction resolve(Expr.UdfCall call, List<ValueKind> argumentKinds) { return registry.resolve(call); }

    @Override
    public UdfModuleInfo register(UdfModuleSource source) { return registry.register(source); }

    @Override
    public List<UdfModuleInfo> list() { return registry.list(); }

    @Override
    public Optional<UdfModuleInfo> describe(String name) { return registry.describe(name); }

    @Override
    public boolean unload(String name) { return registry.unload(name); }

    @Override
    public long generation() { return registry.generation(); }

    @Override
    public java.util.Optional<UdfResolver> functions() { return java.util.Optional.of(this); }

    @Override
    public java.util.Optional<UdfModules> modules() { return java.util.Optional.of(this); }
}
