package dev.strata.python.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Python worker processes, supervised. The pool keeps {@code workers} processes running: a worker
 * that dies or is killed (at a deadline it could not honour) is replaced at once; a start that
 * fails is logged at ERROR, reported by {@link #state()} and retried with a back-off that doubles
 * up to a minute, so the tier never sits without a worker and without saying why. A worker is
 * ready once its engine and a first context are up; it then loads every module the registry holds
 * (each within the load limit, counted from when the worker is ready) before it takes work.
 *
 * <p>Workers watch the node's process and exit when it is gone; the node also kills them when
 * the pool closes and at JVM shutdown. The only Python that runs in the node's JVM is none.
 */
public final class PythonWorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorkerPool.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;

    /**
     * @param workers number of worker processes ({@code python.workers})
     * @param heapMb heap cap of each worker JVM ({@code python.worker.heap-mb})
     * @param compilerDir directory with the Graal compiler jars (JIT); null or missing runs interpreter-only
     * @param cacheDir where GraalPy unpacks its Python home (shared by the workers)
     * @param startTimeoutMillis how long a worker may take to become ready ({@code python.worker.start-timeout-ms})
     * @param loadTimeoutMillis how long a module's top level may run in a ready worker ({@code python.load-timeout-ms})
     * @param waitMillis how long a registration waits for a ready worker ({@code python.worker.wait-ms})
     * @param resultMaxBytes the longest string result ({@code python.result.max-bytes})
     * @param logFile where the workers' own output goes (null: discarded)
     */
    public record Settings(int workers, int heapMb, Path compilerDir, Path cacheDir, long startTimeoutMillis, long loadTimeoutMillis,
                           long waitMillis, int resultMaxBytes, Path logFile) {
        public static final long DEFAULT_START_TIMEOUT_MILLIS = 300_000;
        public static final long DEFAULT_LOAD_TIMEOUT_MILLIS = 60_000;
        public static final long DEFAULT_WAIT_MILLIS = 300_000;
        public static final int DEFAULT_RESULT_MAX_BYTES = 1 << 20;

        public Settings {
            if (workers < 1) throw new IllegalArgumentException("python.workers must be at least 1");
            if (startTimeoutMillis < 1 || loadTimeoutMillis < 1 || waitMillis < 1) throw new IllegalArgumentException("Python timeouts must be positive");
            if (resultMaxBytes < 1) throw new IllegalArgumentException("python.result.max-bytes must be at least 1");
        }

        /** Settings with the default limits. */
        public static Settings of(int workers, int heapMb, Path compilerDir, Path cacheDir) {
            return new Settings(workers, heapMb, compilerDir, cacheDir, DEFAULT_START_TIMEOUT_MILLIS, DEFAULT_LOAD_TIMEOUT_MILLIS,
                    DEFAULT_WAIT_MILLIS, DEFAULT_RESULT_MAX_BYTES, null);
        }
    }

    /** What the pool is doing, for health and messages. */
    public record State(int target, int running, int idle, int starting, int startFailures, Instant failingSince, String lastStartError,
                        int replaced) {
        /** True when no worker runs and starting one keeps failing. */
        public boolean failing() { return running == 0 && startFailures > 0; }
    }

    /** One worker process and its pipes. Used by one thread at a time (it is borrowed). */
    static final class Worker {
        final Process process;
        final DataOutputStream out;
        final DataInputStream in;
        final Set<String> loaded = new HashSet<>();
        /** Modules that did not load in this worker, with why: a call of one fails at once. */
        final Map<String, StrataException> failed = new HashMap<>();
        volatile boolean killed;
        /** Set once by whoever takes the worker out of the pool (its exit, or the borrower that found it dead). */
        final java.util.concurrent.atomic.AtomicBoolean retired = new java.util.concurrent.atomic.AtomicBoolean();

        Worker(Process process) {
            this.process = process;
            this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        }

        void kill() {
            killed = true;
            process.destroyForcibly();
        }

        boolean usable() { return !killed && process.isAlive(); }
    }

    private final Settings settings;
    private final LinkedBlockingQueue<Worker> idle = new LinkedBlockingQueue<>();
    private final Set<Worker> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger starting = new AtomicInteger();
    private final AtomicInteger replaced = new AtomicInteger();
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> daemon(r, "strata-python-worker-start"));
    private final ScheduledExecutorService supervisor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "strata-python-supervisor"));
    private final Thread shutdownHook = new Thread(this::killAll, "strata-python-workers-kill");
    private volatile boolean closed;
    private volatile boolean started;
    private volatile Supplier<Map<String, PythonModuleVersion>> modules = Map::of;
    private volatile BiConsumer<String, StrataException> moduleKilledWorker = (k, e) -> { };
    // start failures, guarded by this
    private int startFailures;
    private Instant failingSince;
    private String lastStartError;
    private long nextStartNanos;

    public PythonWorkerPool(Settings settings) { this.settings = settings; }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The modules every worker loads before it takes work, so no query pays for loading one. */
    public void preload(Supplier<Map<String, PythonModuleVersion>> modules) { this.modules = modules; }

    /**
     * Called with a module whose loading made a worker stop answering (it had to be killed): such a
     * module is not loaded into new workers again, and the registry marks it failed.
     */
    public void onModuleKilledWorker(BiConsumer<String, StrataException> listener) { this.moduleKilledWorker = listener; }

    public Settings settings() { return settings; }

    /** Starts the workers in the background and keeps them running; returns at once. */
    public synchronized void start() {
        if (started || closed) return;
        started = true;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        supervisor.scheduleWithFixedDelay(() -> {
            try {
                ensureWorkers();
            } catch (Throwable t) { // a scheduled task that throws is never run again: the supervisor must not
                LOG.error("python_udf: supervising the workers failed; trying again in a second", t);
            }
        }, 1, 1, TimeUnit.SECONDS);
        ensureWorkers();
    }

    /** Waits until at least one worker is ready, up to {@code millis}; for tools and benchmarks. */
    public boolean awaitReady(long millis) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (idle.isEmpty() && running.isEmpty() && System.nanoTime() - until < 0) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !running.isEmpty();
    }

    /** Starts the workers that are missing, unless a failed start's back-off has not passed yet. */
    private synchronized void ensureWorkers() {
        if (closed || !started) return;
        int missing = settings.workers() - running.size() - starting.get();
        if (missing <= 0 || System.nanoTime() - nextStartNanos < 0) return;
        for (int i = 0; i < missing; i++) {
            starting.incrementAndGet();
            try {
                starter.execute(this::startOne);
            } catch (RuntimeException e) {
                starting.decrementAndGet(); // closing
                return;
            }
        }
    }

    private void startOne() {
        Worker w = null;
        long t0 = System.nanoTime();
        try {
            w = launch();
            running.add(w);
            preloadInto(w);
            if (closed) {
                w.kill();
                return;
            }
            synchronized (this) {
                if (startFailures > 0) LOG.info("python_udf: a worker started again after {} failed start(s) since {}", startFailures, failingSince);
                startFailures = 0;
                failingSince = null;
                lastStartError = null;
            }
            LOG.info("python_udf: worker {} ready in {} ms with {} module(s)", w.process.pid(), (System.nanoTime() - t0) / 1_000_000, w.loaded.size());
            Worker ready = w;
            // a worker that dies while idle (kill -9, the OOM killer) is replaced at once, not when a query next meets it
            w.process.onExit().thenRun(() -> retire(ready, true));
            idle.add(w);
        } catch (WorkerGone e) {
            // a module stopped the worker while loading; that module is marked, the next worker starts now
            if (w != null) retire(w, false);
        } catch (Exception | Error e) {
            if (w != null) retire(w, false);
            if (closed) return;
            long backoff;
            synchronized (this) {
                startFailures++;
                if (failingSince == null) failingSince = Instant.now();
                lastStartError = String.valueOf(e.getMessage() == null ? e : e.getMessage());
                backoff = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(6, startFailures - 1));
                nextStartNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
            }
            LOG.error("python_udf: a worker did not start ({} failure(s) in a row since {}): {}; retrying in {} ms", startFailures,
                    failingSince, lastStartError, backoff, e);
        } finally {
            starting.decrementAndGet();
        }
    }

    /** A module's load stopped a new worker from answering. */
    private static final class WorkerGone extends Exception {
        private static final long serialVersionUID = 1L;

        WorkerGone() { super(null, null, false, false); }
    }

    private Worker launch() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx" + settings.heapMb() + "m");
        cmd.add("-XX:+UseSerialGC");
        if (settings.compilerDir() != null && Files.isDirectory(settings.compilerDir())) {
            cmd.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "--upgrade-module-path=" + settings.compilerDir()));
        }
        cmd.add("--enable-native-access=ALL-UNNAMED");
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow"); // Truffle still uses Unsafe
        cmd.addAll(List.of("-Dpolyglot.engine.userResourceCache=" + settings.cacheDir(), "-cp", workerClassPath(),
                PythonWorkerMain.class.getName(), Long.toString(ProcessHandle.current().pid()), Integer.toString(settings.resultMaxBytes())));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (settings.logFile() != null) pb.redirectError(ProcessBuilder.Redirect.appendTo(settings.logFile().toFile()));
        else pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Worker w = new Worker(pb.start());
        ScheduledFuture<?> killer = Timers.after(TimeUnit.MILLISECONDS.toNanos(settings.startTimeoutMillis()), w::kill);
        try {
            w.out.writeByte(WorkerProtocol.PING);
            w.out.flush();
            byte r = w.in.readByte(); // answered once the worker's engine and a first context are up
            if (r != WorkerProtocol.OK) throw new IOException("unexpected answer " + r + " to PING");
            return w;
        } catch (IOException e) {
            boolean timedOut = w.killed;
            w.kill();
            throw new IOException(timedOut
                    ? "it was not ready within " + settings.startTimeoutMillis() + " ms (setting python.worker.start-timeout-ms)"
                    : "it exited while starting (" + e.getMessage() + "; exit status " + exitStatus(w) + ")", e);
        } finally {
            killer.cancel(false);
        }
    }

    private static String exitStatus(Worker w) {
        try {
            return w.process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(w.process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * Loads every module into a new worker, each within the load limit. One that fails is marked
     * failed for this worker (its calls there fail at once) and not retried. One that stops the
     * worker from answering is reported to the registry and skipped by every later worker.
     */
    private void preloadInto(Worker w) throws WorkerGone {
        for (var m : modules.get().entrySet()) {
            if (closed) return;
            try {
                ensureLoaded(w, m.getKey(), m.getValue());
            } catch (StrataException e) {
                LOG.warn("python_udf: worker {} could not load module {}: {}", w.process.pid(), m.getKey(), e.getMessage());
            } catch (IOException e) {
                StrataException why = new StrataException(ErrorCode.UDF_FAILED, "python_udf module '" + m.getValue().name
                        + "' stopped a worker from answering while it loaded (it did not finish within " + settings.loadTimeoutMillis()
                        + " ms and could not be interrupted)");
                LOG.error("python_udf: {}; it is not loaded into workers again until it is registered anew", why.getMessage());
                moduleKilledWorker.accept(m.getKey(), why);
                throw new WorkerGone();
            }
        }
    }

    /**
     * A worker for one batch or one load; waits for one until the deadline, and says why there was
     * none: still starting, failing to start, or all busy (UNAVAILABLE, HTTP 503).
     */
    Worker borrow(long deadlineNanos) {
        long until = deadlineNanos == Long.MAX_VALUE ? System.nanoTime() + TimeUnit.SECONDS.toNanos(60) : deadlineNanos;
        try {
            while (true) {
                long wait = Math.min(until - System.nanoTime(), TimeUnit.SECONDS.toNanos(1));
                Worker w = wait > 0 ? idle.poll(wait, TimeUnit.NANOSECONDS) : idle.poll();
                if (w != null) {
                    if (w.usable()) return w;
                    release(w); // died while idle: replace it and look again
                    continue;
                }
                if (closed) throw new StrataException(ErrorCode.UNAVAILABLE, "the python_udf tier is shutting down");
                if (System.nanoTime() - until >= 0) throw new StrataException(ErrorCode.UNAVAILABLE, noWorker());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException(ErrorCode.DEADLINE_EXCEEDED, "interrupted while waiting for a Python worker");
        }
    }

    private String noWorker() {
        State s = state();
        if (s.failing()) {
            return "no Python worker is running: starting one failed " + s.startFailures() + " time(s) since " + s.failingSince()
                    + " (last: " + s.lastStartError() + "); the node keeps trying";
        }
        if (s.running() == 0) return "no Python worker is ready yet: " + Math.max(1, s.starting()) + " starting (a worker takes seconds to start)";
        return "every Python worker stayed busy until the deadline (" + s.running() + " worker(s); setting python.workers)";
    }

    /** Gives a worker back; a dead or killed one is replaced at once. */
    void release(Worker w) {
        if (closed || !w.usable()) {
            retire(w, true);
            return;
        }
        idle.add(w);
    }

    /** Takes a worker out of the pool for good (once, whoever comes first); {@code replace}: start another now. */
    private void retire(Worker w, boolean replace) {
        w.kill();
        if (!w.retired.compareAndSet(false, true)) return;
        running.remove(w);
        idle.remove(w);
        if (replace && !closed) {
            replaced.incrementAndGet();
            LOG.warn("python_udf: worker {} is gone; starting another", w.process.pid());
            ensureWorkers();
        }
    }

    /**
     * Sends the module to {@code w} unless it has it, with the load limit: the worker interrupts
     * the module's top level itself at the limit (DEADLINE_EXCEEDED, the worker lives on); if it
     * cannot answer a grace period later, it is killed (IOException). A module the worker refused
     * comes back as the worker's error (INVALID_REQUEST) and is remembered as failed there.
     */
    void ensureLoaded(Worker w, String key, PythonModuleVersion v) throws IOException {
        if (w.loaded.contains(key)) return;
        StrataException failedBefore = w.failed.get(key);
        if (failedBefore != null) throw failedBefore;
        long limit = settings.loadTimeoutMillis();
        ScheduledFuture<?> killer = Timers.after(TimeUnit.MILLISECONDS.toNanos(limit + graceMillis(limit)), w::kill);
        try {
            w.out.writeByte(WorkerProtocol.LOAD);
            WorkerProtocol.writeString(w.out, key);
            w.out.writeLong(limit);
            WorkerProtocol.writeString(w.out, v.source);
            w.out.writeInt(v.signatures().size());
            for (var e : v.signatures().entrySet()) {
                WorkerProtocol.writeString(w.out, e.getKey());
                WorkerProtocol.writeString(w.out, e.getValue().toString());
            }
            w.out.flush();
            answer(w);
            w.loaded.add(key);
        } catch (StrataException e) {
            w.failed.put(key, e);
            throw e;
        } finally {
            killer.cancel(false);
        }
    }

    /** How long past a limit the node waits for a worker to stop by itself before killing it. */
    static long graceMillis(long limitMillis) { return Math.max(5_000, limitMillis / 4); }

    /** Reads the answer type; an ERROR answer becomes the exception the worker reported. */
    static byte answer(Worker w) throws IOException {
        byte t = w.in.readByte();
        if (t == WorkerProtocol.ERROR) {
            ErrorCode code = ErrorCode.valueOf(WorkerProtocol.readString(w.in));
            throw new StrataException(code, WorkerProtocol.readString(w.in));
        }
        return t;
    }

    /**
     * Checks a module by loading it in a ready worker, which runs its top level. Waits for a ready
     * worker up to {@code python.worker.wait-ms}. Fails with INVALID_REQUEST when the module is
     * wrong, DEADLINE_EXCEEDED when its top level ran past the load limit, and UNAVAILABLE when no
     * worker was ready or the worker died for another reason (worth retrying).
     */
    public void check(String key, PythonModuleVersion v) {
        Worker w = borrow(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.waitMillis()));
        w.failed.remove(key); // an explicit check tries again
        try {
            ensureLoaded(w, key, v);
        } catch (IOException e) {
            boolean killedByUs = w.killed;
            w.kill();
            if (killedByUs) {
                throw new StrataException(ErrorCode.DEADLINE_EXCEEDED, "python_udf module '" + v.name + "' did not finish loading within "
                        + settings.loadTimeoutMillis() + " ms and its worker could not interrupt it (a loop inside a builtin?); the worker"
                        + " was replaced (setting python.load-timeout-ms)");
            }
            throw new StrataException(ErrorCode.UNAVAILABLE, "python_udf module '" + v.name + "' could not be checked: its worker died while"
                    + " loading it (" + e.getMessage() + "); a new worker is starting");
        } finally {
            release(w);
        }
    }

    /** What the pool is doing now. */
    public synchronized State state() {
        return new State(settings.workers(), running.size(), idle.size(), starting.get(), startFailures, failingSince, lastStartError,
                replaced.get());
    }

    /** Workers killed or dead and replaced so far. */
    public int replaced() { return replaced.get(); }

    /** The process ids of the idle workers (tests kill one to check replacement). */
    public List<Long> idlePids() { return idle.stream().map(w -> w.process.pid()).toList(); }

    /** The process ids of every running worker. */
    public List<Long> pids() { return running.stream().map(w -> w.process.pid()).toList(); }

    private void killAll() {
        for (Worker w : running) w.kill();
        Worker w;
        while ((w = idle.poll()) != null) w.kill();
    }

    @Override
    public void close() {
        closed = true;
        supervisor.shutdownNow();
        starter.shutdownNow();
        killAll();
        try {
            if (started) Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /**
     * The worker runs its main class from the class path. A node started on the module path (a
     * modular embedding, or the tier's own tests) has its jars there instead, so both are passed:
     * in the worker everything is on the class path.
     */
    private static String workerClassPath() {
        String classPath = System.getProperty("java.class.path", "");
        String modulePath = System.getProperty("jdk.module.path", "");
        if (modulePath.isEmpty()) return classPath;
        return classPath.isEmpty() ? modulePath : classPath + java.io.File.pathSeparator + modulePath;
    }
}
