package dev.strata.python.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.udf.ModuleStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python modules of a node. A module runs isolated in worker processes (the default) or, with
 * the option {@code mode=in_process}, in the node's JVM for the lowest latency (trusted code only).
 * Workers start with the first module (at registration or node start), never on the query path.
 */
public final class PythonRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PythonRegistry.class);
    private static final long LOAD_TIMEOUT_MILLIS = 10_000;

    record Registered(PythonModuleVersion version, ModuleStore.Entry meta, boolean inProcess, String key, long size) {}

    private final ModuleStore store;
    private final PythonWorkerPool.Settings workerSettings;
    private final int contextsPerModule;
    private final Map<String, Registered> current = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private volatile PythonWorkerPool pool;

    public PythonRegistry(TierEnvironment env) {
        this.store = new ModuleStore(env.directory(), ".py");
        Path compiler = env.settings().containsKey("python.compiler-dir") ? Path.of(env.settings().get("python.compiler-dir")) : defaultCompilerDir();
        this.workerSettings = new PythonWorkerPool.Settings(env.intSetting("python.workers", 1), env.intSetting("python.worker.heap-mb", 512),
                compiler, env.directory().resolve("graalpy-cache").toAbsolutePath());
        this.contextsPerModule = env.intSetting("python.in-process.contexts", Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** The Graal compiler jars the build copies next to the python-udf classes, when run from the source tree. */
    private static Path defaultCompilerDir() {
        for (String p : List.of("python-udf/target/graal-compiler", "../python-udf/target/graal-compiler", "target/graal-compiler")) {
            Path d = Path.of(p).toAbsolutePath().normalize();
            if (Files.isDirectory(d)) return d;
        }
        return null;
    }

    private synchronized PythonWorkerPool pool() {
        if (pool == null) {
            long t0 = System.nanoTime();
            PythonWorkerPool p = new PythonWorkerPool(workerSettings);
            p.preload(this::isolatedModules);
            p.start();
            LOG.info("python_udf: {} worker process(es) ready in {} ms ({}; heap {} MB each)", workerSettings.workers(),
                    (System.nanoTime() - t0) / 1_000_000, workerSettings.compilerDir() == null ? "interpreter only: no Graal compiler found"
                            : "JIT from " + workerSettings.compilerDir(), workerSettings.heapMb());
            pool = p;
        }
        return pool;
    }

    private Map<String, PythonModuleVersion> isolatedModules() {
        Map<String, PythonModuleVersion> out = new LinkedHashMap<>();
        for (Registered r : current.values()) if (!r.inProcess()) out.put(r.key(), r.version());
        return out;
    }

    public void loadStored() {
        for (ModuleStore.Entry e : store.entries()) {
            try {
                byte[] bytes = store.blob(e.sha256());
                current.put(e.name(), activate(e, new String(bytes, StandardCharsets.UTF_8), bytes.length));
            } catch (RuntimeException ex) {
                LOG.error("python_udf module '{}' could not be loaded and is not available: {}", e.name(), ex.getMessage());
            }
        }
        generation.incrementAndGet();
    }

    private Registered activate(ModuleStore.Entry e, String source, long size) {
        boolean inProcess = "in_process".equals(e.options().get("mode"));
        String key = e.name() + "@" + e.sha256();
        PythonModuleVersion v;
        if (inProcess) {
            v = PythonModuleVersion.load(e.name(), source, e.signatures(), contextsPerModule);
        } else {
            v = PythonModuleVersion.declare(e.name(), source, e.signatures(), contextsPerModule);
            pool().check(key, v, LOAD_TIMEOUT_MILLIS);
        }
        return new Registered(v, e, inProcess, key, size);
    }

    public synchronized UdfModuleInfo register(UdfModuleSource src) {
        List<String> problems = new ArrayList<>();
        String badName = ModuleStore.nameProblem(src.name());
        if (badName != null) problems.add(badName);
        for (String k : src.options().keySet()) if (!k.equals("mode")) problems.add("unknown option '" + k + "' (the options are: mode)");
        String mode = src.options().getOrDefault("mode", "isolated");
        if (!mode.equals("isolated") && !mode.equals("in_process")) problems.add("the option mode must be isolated or in_process, not '" + mode + "'");
        if (!src.format().equals("python")) problems.add("unknown format '" + src.format() + "' (use python)");
        if (!problems.isEmpty()) {
            throw new StrataException(ErrorCode.INVALID_REQUEST, "python_udf module '" + src.name() + "' was refused: " + String.join("; ", problems));
        }
        String source = new String(src.content(), StandardCharsets.UTF_8);
        String sha = ModuleStore.sha256(src.content());
        ModuleStore.Entry entry = new ModuleStore.Entry(src.name(), sha, "python", src.version(), src.description(),
                Instant.now().toString(), Map.of("mode", mode), src.signatures());
        Registered r = activate(entry, source, src.content().length);
        store.put(entry, src.content());
        Registered old = current.put(src.name(), r);
        generation.incrementAndGet();
        if (old != null) old.version().close();
        LOG.info("python_udf module '{}' {} ({}): functions {}", src.name(), old == null ? "registered" : "replaced", mode, r.version().signatures().keySet());
        UdfModuleInfo info = info(r);
        return old == null ? info : info.asReplacement();
    }

    public List<UdfModuleInfo> list() {
        return current.values().stream().sorted(java.util.Comparator.comparing(m -> m.meta().name())).map(this::info).toList();
    }

    public Optional<UdfModuleInfo> describe(String name) { return Optional.ofNullable(current.get(name)).map(this::info); }

    public synchronized boolean unload(String name) {
        Registered r = current.get(name);
        if (r == null) return false;
        store.remove(name);
        current.remove(name);
        generation.incrementAndGet();
        r.version().close();
        return true;
    }

    public long generation() { return generation.get(); }

    public UdfFunction resolve(Expr.UdfCall call) {
        Registered r = current.get(call.module());
        if (r == null) {
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "there is no python_udf module '" + call.module() + "'"
                    + (current.isEmpty() ? "; none is registered" : "; the modules are " + String.join(", ", new java.util.TreeSet<>(current.keySet()))));
        }
        PythonSignature sig = r.version().signatures().get(call.function());
        if (sig == null) {
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "python_udf module '" + call.module() + "' has no function '" + call.function()
                    + "'; its functions are " + r.version().signatures().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ")));
        }
        int want = sig.document() ? 0 : sig.params().size();
        if (want != call.args().size()) {
            throw new StrataException(ErrorCode.WRONG_ARGUMENTS, "python_udf('" + call.qualifiedName() + "') takes " + want + " argument"
                    + (want == 1 ? "" : "s") + " " + sig + (sig.document() ? " (the document is passed for it)" : "") + ", not " + call.args().size());
        }
        return r.inProcess() ? new InProcessPythonUdf(r.version(), call.function()) : new WorkerPythonUdf(pool(), r.version(), r.key(), call.function());
    }

    public void close() {
        for (Registered r : current.values()) r.version().close();
        PythonWorkerPool p = pool;
        if (p != null) p.close();
    }

    private UdfModuleInfo info(Registered r) {
        List<UdfModuleInfo.Function> fns = new ArrayList<>();
        r.version().signatures().forEach((n, s) -> fns.add(new UdfModuleInfo.Function(n, s.toString(), s.batch() ? "batch" : s.document() ? "document" : "scalar")));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", r.inProcess() ? "in_process" : "isolated");
        details.put("jit", r.inProcess() ? PythonRuntime.jitEnabled() : workerSettings.compilerDir() != null);
        if (r.inProcess()) details.put("contexts", r.version().liveContexts());
        else if (pool != null) details.put("workersReplaced", pool.replaced());
        return new UdfModuleInfo(PythonUdf.TIER, r.meta().name(), r.meta().version(), r.meta().description(), r.meta().sha256(),
                r.size(), r.meta().registeredAt(), false, fns, Map.of("mode", r.inProcess() ? "in_process" : "isolated"), details);
    }
}
