package dev.strata.wasm;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
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
import dev.strata.wasm.internal.ModuleVersion;
import dev.strata.wasm.internal.WasmLimits;
import dev.strata.wasm.internal.WasmRegistry;
import dev.strata.wasm.internal.WasmUdf;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code wasm_udf} tier: user functions compiled to WebAssembly, run compiled on Chicory from
 * pooled instances. It evaluates {@code wasm_udf('module.function', ...)} calls that the expression
 * tier meets inside clauses (the planner puts those clauses in this tier's stage, after the index
 * and the plain expressions), and keeps the module registry.
 *
 * <p>Settings: {@code wasm.memory.max-pages} (256 = 16 MiB per instance), {@code
 * wasm.pool.max-instances} (max(4, 2 x cores)), {@code wasm.pool.warm-instances} (1), {@code
 * wasm.output.max-bytes} (65536, WASI output kept per instance).
 */
public final class WasmTierProvider implements TierProvider, UdfResolver, UdfModules {
    private final WasmRegistry registry;

    WasmTierProvider(WasmRegistry registry) { this.registry = registry; }

    /** A ready tier on {@code dir}, for embedding and benchmarks (the node uses {@link WasmTierFactory}). */
    public static WasmTierProvider openAt(Path dir, java.util.Map<String, String> settings) {
        return new WasmTierFactory().create(new TierEnvironment(dir, settings));
    }

    @Override
    public String name() { return WasmUdf.TIER; }

    @Override
    public void close() { registry.close(); }

    /** Starting while stored modules compile after a start; degraded while one no longer loads. */
    @Override
    public TierHealth health() {
        java.util.Map<String, String> pending = registry.pendingStates();
        if (pending.isEmpty()) return TierHealth.OK;
        List<String> problems = new java.util.ArrayList<>();
        boolean failed = false;
        for (var e : pending.entrySet()) {
            failed |= e.getValue().startsWith("failed");
            problems.add("module '" + e.getKey() + "' " + e.getValue());
        }
        return new TierHealth(failed ? TierHealth.Status.DEGRADED : TierHealth.Status.STARTING,
                problems.stream().limit(Messages.MAX_ITEMS).toList(), java.util.Map.of("modules_not_ready", pending.size()));
    }

    @Override
    public UdfFunction resolve(Expr.UdfCall call, List<ValueKind> argumentKinds) {
        WasmRegistry r = registry;
        ModuleVersion v = r.version(call.module());
        StrataException notReady = v == null ? r.notReady(call.module()) : null;
        if (notReady != null) throw notReady;
        if (v == null) {
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "there is no wasm_udf module '" + call.module() + "'"
                    + (r.names().isEmpty() ? "; none is registered" : "; the modules are " + Messages.list(r.names(), ", ")));
        }
        ModuleVersion.UdfEntry fn = v.functions().get(call.function());
        if (fn == null) {
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "wasm_udf module '" + call.module() + "' has no function '"
                    + call.function() + "'; its functions are " + v.functions().values().stream()
                    .map(f -> f.name() + " " + f.signature()).collect(Collectors.collectingAndThen(Collectors.toList(), l -> Messages.list(l, ", "))));
        }
        if (fn.signature().params().size() != call.args().size()) {
            int n = fn.signature().params().size();
            throw new StrataException(ErrorCode.WRONG_ARGUMENTS, "wasm_udf('" + call.qualifiedName() + "') takes " + n
                    + " argument" + (n == 1 ? "" : "s") + " " + fn.signature() + ", not " + call.args().size());
        }
        return new WasmUdf(v, fn);
    }

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
