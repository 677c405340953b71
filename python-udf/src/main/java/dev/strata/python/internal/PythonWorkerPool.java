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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Python worker processes: started and pre-warmed ahead of queries, one batch at a time each,
 * killed at a deadline the worker could not honour itself (a loop inside a builtin) and replaced
 * when they die. The only Python that runs in the node's JVM is none.
 */
public final class PythonWorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PythonWorkerPool.class);

    /**
     * @param workers number of worker processes
     * @param heapMb heap cap of each worker JVM
     * @param compilerDir directory with the Graal compiler jars (JIT); null or missing runs interpreter-only
     * @param cacheDir where GraalPy unpacks its Python home (shared by the workers)
     */
    public record Settings(int workers, int heapMb, Path compilerDir, Path cacheDir) {}

    /** One worker process and its pipes. */
    static final class Worker {
        final Process process;
        final DataOutputStream out;
        final DataInputStream in;
        final Set<String> loaded = new HashSet<>();
        volatile boolean killed;

        Worker(Process process) {
            this.process = process;
            this.out = new DataOutputStream(new BufferedOutputStream(process.getOutputStream(), 1 << 16));
            this.in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
        }

        void kill() {
            killed = true;
            process.destroyForcibly();
        }
    }

    private final Settings settings;
    private final LinkedBlockingQueue<Worker> idle = new LinkedBlockingQueue<>();
    private final ExecutorService starter = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "strata-python-worker-start");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger replaced = new AtomicInteger();
    private volatile boolean closed;
    private volatile java.util.function.Supplier<java.util.Map<String, PythonModuleVersion>> modules = java.util.Map::of;

    /** The modules every worker loads before it takes work, so no query pays for loading one. */
    public void preload(java.util.function.Supplier<java.util.Map<String, PythonModuleVersion>> modules) { this.modules = modules; }

    public PythonWorkerPool(Settings settings) { this.settings = settings; }

    /** Starts every worker and waits until each has its engine up (seconds on a fresh machine). */
    public void start() {
        List<java.util.concurrent.Future<Worker>> starting = new ArrayList<>();
        for (int i = 0; i < settings.workers(); i++) starting.add(starter.submit(this::launch));
        for (var f : starting) {
            try {
                idle.add(f.get());
            } catch (Exception e) {
                throw new StrataException(ErrorCode.INTERNAL, "a Python worker did not start: " + e.getMessage());
            }
        }
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
        cmd.addAll(List.of("-Dpolyglot.engine.userResourceCache=" + settings.cacheDir(), "-cp", System.getProperty("java.class.path"),
                PythonWorkerMain.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Worker w = new Worker(p);
        w.out.writeByte(WorkerProtocol.PING);
        w.out.flush();
        byte r = w.in.readByte(); // answered once the worker's engine is up
        if (r != WorkerProtocol.OK) throw new IOException("unexpected answer " + r + " to PING");
        for (var m : modules.get().entrySet()) {
            try {
                ensureLoaded(w, m.getKey(), m.getValue());
            } catch (StrataException e) {
                LOG.warn("python_udf: a worker could not load module {}: {}", m.getKey(), e.getMessage());
            }
        }
        return w;
    }

    /** A worker for one batch; waits for one until the deadline. */
    Worker borrow(long deadlineNanos) {
        try {
            long wait = deadlineNanos == Long.MAX_VALUE ? TimeUnit.SECONDS.toNanos(60) : Math.max(0, deadlineNanos - System.nanoTime());
            Worker w = idle.poll(wait, TimeUnit.NANOSECONDS);
            if (w == null) throw new StrataException(ErrorCode.RESOURCE_EXHAUSTED, "every Python worker stayed busy until the deadline");
            return w;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException(ErrorCode.DEADLINE_EXCEEDED, "interrupted while waiting for a Python worker");
        }
    }

    void release(Worker w) {
        if (closed) {
            w.kill();
            return;
        }
        if (w.killed || !w.process.isAlive()) {
            w.kill();
            replaced.incrementAndGet();
            starter.submit(() -> {
                try {
                    if (!closed) idle.add(launch());
                } catch (IOException e) {
                    LOG.error("python_udf: a replacement worker did not start: {}", e.getMessage());
                }
                return null;
            });
            return;
        }
        idle.add(w);
    }

    /** Sends the module to {@code w} unless it has it; a refusal comes back as the worker's INVALID_REQUEST. */
    void ensureLoaded(Worker w, String key, PythonModuleVersion v) throws IOException {
        if (w.loaded.contains(key)) return;
        w.out.writeByte(WorkerProtocol.LOAD);
        WorkerProtocol.writeString(w.out, key);
        WorkerProtocol.writeString(w.out, v.source);
        w.out.writeInt(v.signatures().size());
        for (var e : v.signatures().entrySet()) {
            WorkerProtocol.writeString(w.out, e.getKey());
            WorkerProtocol.writeString(w.out, e.getValue().toString());
        }
        w.out.flush();
        answer(w);
        w.loaded.add(key);
    }

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
     * Checks a module by loading it in a worker, which runs its top level: a module that does not
     * finish loading within {@code timeoutMillis} has its worker killed and is refused.
     */
    public void check(String key, PythonModuleVersion v, long timeoutMillis) {
        Worker w = borrow(System.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        var k = Timers.after(TimeUnit.MILLISECONDS.toNanos(timeoutMillis), w::kill);
        try {
            ensureLoaded(w, key, v);
        } catch (IOException e) {
            w.kill();
            throw new StrataException(ErrorCode.INVALID_REQUEST, "python_udf module '" + v.name + "' was refused: "
                    + (w.killed ? "it did not finish loading within " + timeoutMillis + " ms" : "its worker died while loading it (" + e.getMessage() + ")"));
        } finally {
            k.cancel(false);
            release(w);
        }
    }

    /** Workers killed or dead and replaced so far. */
    public int replaced() { return replaced.get(); }

    /** The process ids of the idle workers (tests kill one to check replacement). */
    public List<Long> idlePids() { return idle.stream().map(w -> w.process.pid()).toList(); }

    @Override
    public void close() {
        closed = true;
        Worker w;
        while ((w = idle.poll()) != null) w.kill();
        starter.shutdownNow();
    }
}
