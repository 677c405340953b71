package dev.strata.python.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.StrataException;
import dev.strata.core.ast.Expr;
import dev.strata.core.spi.TierEnvironment;
import dev.strata.core.spi.TierHealth;
import dev.strata.core.spi.UdfFunction;
import dev.strata.core.spi.UdfModuleInfo;
import dev.strata.core.spi.UdfModuleSource;
import dev.strata.core.udf.ModuleStore;
import dev.strata.core.udf.UdfRegistry;
import dev.strata.core.value.ValueKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Python modules of a node and their state. A module runs isolated in worker processes (the
 * default) or, with the option {@code mode=in_process}, in the node's JVM for the lowest latency
 * (trusted code only).
 *
 * <p>A registration is checked before it is stored: the module's top level runs in a ready worker
 * (waiting for one up to {@code python.worker.wait-ms}) within {@code python.load-timeout-ms}.
 * At node start, stored modules are {@code loading} and are checked the same way in the
 * background, so a start never waits for Python; a query on a module still loading gets
 * UNAVAILABLE (HTTP 503, retry). A load that fails for a transient reason (no worker yet, a worker
 * that died) is retried with back-off for as long as it takes; one that runs past the limit is
 * retried {@value #TIMEOUT_ATTEMPTS} times; a module whose top level fails is {@code failed}.
 * Nothing stored is ever dropped: a failed module stays listed with its reason until it is
 * registered again or unloaded.
 */
public final class PythonRegistry implements UdfRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(PythonRegistry.class);
    static final int TIMEOUT_ATTEMPTS = 3;
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    record Registered(PythonModuleVersion version, ModuleStore.Entry meta, boolean inProcess, String key, long size) {}

    /** One module name's current version and where it stands. */
    static final class Slot {
        enum Phase { LOADING, READY, FAILED }

        final Registered registered;
        final String source;
        volatile PythonModuleVersion version;
        volatile Phase phase;
        volatile int attempts;
        volatile String problem;
        final Instant since = Instant.now();

        Slot(Registered r, String source, Phase phase, String problem) {
            this.registered = r;
            this.source = source;
            this.version = r.version();
            this.phase = phase;
            this.problem = problem;
        }

        String state() {
            return switch (phase) {
                case READY -> "ready";
                case LOADING -> "loading" + (attempts > 0 ? " (attempt " + (attempts + 1) + "; last: " + problem + ")" : "");
                case FAILED -> "failed: " + problem;
            };
        }
    }

    private final ModuleStore store;
    private final PythonWorkerPool.Settings workerSettings;
    private final int contextsPerModule;
    private final Map<String, Slot> current = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final ReentrantLock registering = new ReentrantLock();
    private final ScheduledExecutorService loader = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "strata-python-loader");
        t.setDaemon(true);
        return t;
    });
    private volatile PythonWorkerPool pool;
    private volatile boolean closed;

    public PythonRegistry(TierEnvironment env) {
        this.store = new ModuleStore(env.directory(), ".py");
        Path compiler = env.settings().containsKey("python.compiler-dir") ? Path.of(env.settings().get("python.compiler-dir")) : defaultCompilerDir();
        Path dir = env.directory().toAbsolutePath();
        this.workerSettings = new PythonWorkerPool.Settings(env.intSetting("python.workers", 1), env.intSetting("python.worker.heap-mb", 512),
                compiler, dir.resolve("graalpy-cache"),
                env.intSetting("python.worker.start-timeout-ms", (int) PythonWorkerPool.Settings.DEFAULT_START_TIMEOUT_MILLIS),
                env.intSetting("python.load-timeout-ms", (int) PythonWorkerPool.Settings.DEFAULT_LOAD_TIMEOUT_MILLIS),
                env.intSetting("python.worker.wait-ms", (int) PythonWorkerPool.Settings.DEFAULT_WAIT_MILLIS),
                env.intSetting("python.result.max-bytes", PythonWorkerPool.Settings.DEFAULT_RESULT_MAX_BYTES),
                dir.resolve("workers.log"));
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

    /** The worker pool, made and started (in the background) on first use. */
    private synchronized PythonWorkerPool pool() {
        if (pool == null) {
            try {
                Files.createDirectories(workerSettings.cacheDir());
            } catch (java.io.IOException e) {
                throw new StrataException(ErrorCode.INTERNAL, "cannot create " + workerSettings.cacheDir() + ": " + e.getMessage());
            }
            PythonWorkerPool p = new PythonWorkerPool(workerSettings);
            p.preload(this::readyIsolatedModules);
            p.onModuleKilledWorker(this::killedWorker);
            p.start();
            LOG.info("python_udf: starting {} worker process(es) ({}; heap {} MB each)", workerSettings.workers(),
                    workerSettings.compilerDir() == null ? "interpreter only: no Graal compiler found" : "JIT from " + workerSettings.compilerDir(),
                    workerSettings.heapMb());
            pool = p;
        }
        return pool;
    }

    private Map<String, PythonModuleVersion> readyIsolatedModules() {
        Map<String, PythonModuleVersion> out = new LinkedHashMap<>();
        for (Slot s : current.values()) {
            if (!s.registered.inProcess() && s.phase == Slot.Phase.READY) out.put(s.registered.key(), s.version);
        }
        return out;
    }

    private void killedWorker(String key, StrataException why) {
        for (Slot s : current.values()) {
            if (s.registered.key().equals(key) && s.phase != Slot.Phase.FAILED) {
                s.problem = why.getMessage();
                s.phase = Slot.Phase.FAILED;
                generation.incrementAndGet();
            }
        }
    }

    /** Lists the stored modules as {@code loading} and checks them in the background; returns at once. */
    public void loadStored() {
        boolean isolated = false;
        for (ModuleStore.Entry e : store.entries()) {
            byte[] bytes = store.blob(e.sha256());
            String source = new String(bytes, StandardCharsets.UTF_8);
            boolean inProcess = "in_process".equals(e.options().get("mode"));
            String key = e.name() + "@" + e.sha256();
            Slot slot;
            try {
                PythonModuleVersion declared = PythonModuleVersion.declare(e.name(), source, e.signatures(), contextsPerModule);
                slot = new Slot(new Registered(declared, e, inProcess, key, bytes.length), source, Slot.Phase.LOADING, null);
                isolated |= !inProcess;
            } catch (StrataException ex) {
                slot = new Slot(new Registered(null, e, inProcess, key, bytes.length), source, Slot.Phase.FAILED, ex.getMessage());
            }
            current.put(e.name(), slot);
        }
        generation.incrementAndGet();
        if (current.isEmpty()) return;
        LOG.info("python_udf: {} stored module(s) loading in the background: {}", current.size(), String.join(", ", new TreeSet<>(current.keySet())));
        if (isolated) pool();
        for (Slot s : current.values()) if (s.phase == Slot.Phase.LOADING) loader.execute(() -> attempt(s));
    }

    /** One try at loading a stored module; schedules the next on a transient failure. */
    private void attempt(Slot s) {
        String name = s.registered.meta().name();
        if (closed || current.get(name) != s || s.phase != Slot.Phase.LOADING) return;
        long t0 = System.nanoTime();
        try {
            if (s.registered.inProcess()) {
                s.version = PythonModuleVersion.load(name, s.source, s.registered.meta().signatures(), contextsPerModule,
                        workerSettings.loadTimeoutMillis());
            } else {
                pool().check(s.registered.key(), s.version);
            }
            s.phase = Slot.Phase.READY;
            generation.incrementAndGet();
            LOG.info("python_udf module '{}' is ready ({} ms after its check began)", name, (System.nanoTime() - t0) / 1_000_000);
        } catch (StrataException e) {
            s.attempts++;
            s.problem = e.getMessage();
            boolean permanent = e.code() == ErrorCode.INVALID_REQUEST
                    || (e.code() == ErrorCode.DEADLINE_EXCEEDED && s.attempts >= TIMEOUT_ATTEMPTS);
            if (permanent) {
                if (e.code() == ErrorCode.DEADLINE_EXCEEDED) s.problem = e.getMessage() + " (" + s.attempts + " attempts)";
                s.phase = Slot.Phase.FAILED;
                generation.incrementAndGet();
                LOG.error("python_udf module '{}' failed to load and stays unavailable until it is registered again or unloaded: {}", name, s.problem);
            } else {
                retryLater(s, name);
            }
        } catch (RuntimeException e) {
            s.attempts++;
            s.problem = String.valueOf(e.getMessage() == null ? e : e.getMessage());
            retryLater(s, name);
        }
    }

    private void retryLater(Slot s, String name) {
        long backoff = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(6, s.attempts));
        LOG.warn("python_udf module '{}' did not load (attempt {}): {}; retrying in {} ms", name, s.attempts, s.problem, backoff);
        if (!closed) loader.schedule(() -> attempt(s), backoff, TimeUnit.MILLISECONDS);
    }

    @Override
    public UdfModuleInfo register(UdfModuleSource src) {
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
        String key = src.name() + "@" + sha;
        boolean inProcess = mode.equals("in_process");
        PythonModuleVersion v;
        try {
            if (inProcess) {
                v = PythonModuleVersion.load(src.name(), source, src.signatures(), contextsPerModule, workerSettings.loadTimeoutMillis());
            } else {
                v = PythonModuleVersion.declare(src.name(), source, src.signatures(), contextsPerModule);
                pool().check(key, v);
            }
        } catch (StrataException e) {
            if (e.code() != ErrorCode.DEADLINE_EXCEEDED) throw e;
            throw new StrataException(ErrorCode.INVALID_REQUEST, "python_udf module '" + src.name() + "' was refused: " + e.getMessage());
        }
        registering.lock(); // the check above may wait for a worker; only the swap is serialised
        try {
            store.put(entry, src.content());
            Slot old = current.put(src.name(), new Slot(new Registered(v, entry, inProcess, key, src.content().length), source,
                    Slot.Phase.READY, null));
            generation.incrementAndGet();
            if (old != null && old.version != null) old.version.close();
            LOG.info("python_udf module '{}' {} ({}): functions {}", src.name(), old == null ? "registered" : "replaced", mode, v.signatures().keySet());
            UdfModuleInfo info = info(current.get(src.name()));
            return old == null ? info : info.asReplacement();
        } finally {
            registering.unlock();
        }
    }

    @Override
    public List<UdfModuleInfo> list() {
        return new TreeMap<>(current).values().stream().map(this::info).toList();
    }

    @Override
    public Optional<UdfModuleInfo> describe(String name) { return Optional.ofNullable(current.get(name)).map(this::info); }

    /** Removes a module whatever its state (a failed one included). */
    @Override
    public boolean unload(String name) {
        registering.lock();
        try {
            Slot s = current.remove(name);
            if (s == null) return false;
            store.remove(name);
            generation.incrementAndGet();
            if (s.version != null) s.version.close();
            LOG.info("python_udf module '{}' unloaded ({})", name, s.state());
            return true;
        } finally {
            registering.unlock();
        }
    }

    @Override
    public long generation() { return generation.get(); }

    @Override
    public UdfFunction resolve(Expr.UdfCall call, List<ValueKind> argumentKinds) {
        Slot s = current.get(call.module());
        if (s == null) {
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "there is no python_udf module '" + call.module() + "'"
                    + (current.isEmpty() ? "; none is registered" : "; the modules are " + Messages.list(new TreeSet<>(current.keySet()), ", ")));
        }
        if (s.phase == Slot.Phase.LOADING) {
            throw new StrataException(ErrorCode.UNAVAILABLE, "python_udf module '" + call.module() + "' is still loading after the node"
                    + " started (" + s.state() + "); retry in a few seconds");
        }
        if (s.phase == Slot.Phase.FAILED) {
            throw new StrataException(ErrorCode.UDF_FAILED, "python_udf module '" + call.module() + "' failed to load: " + s.problem
                    + "; register it again once fixed, or unload it");
        }
        PythonModuleVersion v = s.version;
        PythonSignature sig = v.signatures().get(call.function());
        if (sig == null) {
            List<String> fns = v.signatures().entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList();
            throw new StrataException(ErrorCode.UNKNOWN_FUNCTION, "python_udf module '" + call.module() + "' has no function '" + call.function()
                    + "'; its functions are " + Messages.list(fns, ", "));
        }
        int want = sig.document() ? 0 : sig.params().size();
        if (want != call.args().size()) {
            throw new StrataException(ErrorCode.WRONG_ARGUMENTS, "python_udf('" + call.qualifiedName() + "') takes " + want + " argument"
                    + (want == 1 ? "" : "s") + " " + sig + (sig.document() ? " (the document is passed for it)" : "") + ", not " + call.args().size());
        }
        return s.registered.inProcess() ? new InProcessPythonUdf(v, call.function())
                : new WorkerPythonUdf(pool(), v, s.registered.key(), call.function());
    }

    /** Starting while stored modules load or workers start; degraded when workers cannot start or a module failed. */
    @Override
    public TierHealth health() {
        List<String> problems = new ArrayList<>();
        Map<String, Object> details = new LinkedHashMap<>();
        TierHealth.Status status = TierHealth.Status.OK;
        PythonWorkerPool p = pool;
        if (p != null) {
            PythonWorkerPool.State w = p.state();
            details.put("workers", Map.of("target", w.target(), "running", w.running(), "idle", w.idle(), "starting", w.starting(),
                    "replaced", w.replaced()));
            if (w.failing()) {
                status = TierHealth.Status.DEGRADED;
                problems.add("no Python worker is running: starting one failed " + w.startFailures() + " time(s) since " + w.failingSince()
                        + " (last: " + w.lastStartError() + "); the node keeps trying");
            } else if (w.running() == 0) {
                status = TierHealth.Status.STARTING;
                problems.add("Python workers are starting");
            }
        }
        Map<String, Integer> byState = new TreeMap<>();
        for (var e : new TreeMap<>(current).entrySet()) {
            Slot s = e.getValue();
            byState.merge(s.phase.name().toLowerCase(java.util.Locale.ROOT), 1, Integer::sum);
            if (s.phase == Slot.Phase.FAILED) {
                status = TierHealth.Status.DEGRADED;
                problems.add("module '" + e.getKey() + "' " + s.state());
            } else if (s.phase == Slot.Phase.LOADING && status == TierHealth.Status.OK) {
                status = TierHealth.Status.STARTING;
            }
        }
        if (!byState.isEmpty()) details.put("modules", byState);
        return new TierHealth(status, problems.stream().limit(Messages.MAX_ITEMS).toList(), details);
    }

    @Override
    public void close() {
        closed = true;
        loader.shutdownNow();
        for (Slot s : current.values()) if (s.version != null) s.version.close();
        PythonWorkerPool p = pool;
        if (p != null) p.close();
    }

    private UdfModuleInfo info(Slot s) {
        Registered r = s.registered;
        List<UdfModuleInfo.Function> fns = new ArrayList<>();
        if (s.version != null) {
            s.version.signatures().forEach((n, sig) -> fns.add(new UdfModuleInfo.Function(n, sig.toString(),
                    sig.batch() ? "batch" : sig.document() ? "document" : "scalar")));
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", r.inProcess() ? "in_process" : "isolated");
        details.put("jit", r.inProcess() ? PythonRuntime.jitEnabled() : workerSettings.compilerDir() != null);
        if (r.inProcess() && s.version != null) details.put("contexts", s.version.liveContexts());
        else if (pool != null) details.put("workersReplaced", pool.replaced());
        return new UdfModuleInfo(PythonUdf.TIER, r.meta().name(), r.meta().version(), r.meta().description(), r.meta().sha256(),
                r.size(), r.meta().registeredAt(), false, fns, Map.of("mode", r.inProcess() ? "in_process" : "isolated"), details, s.state());
    }
}
