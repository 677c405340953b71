package dev.strata.python.internal;

import java.io.OutputStream;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.SandboxPolicy;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one GraalPy {@link Engine} of this JVM and the sandboxed contexts made on it. The engine is
 * created on first use (4-14 s in a fresh JVM: the Python home is unpacked once into the
 * resource cache); contexts on it cost 60-560 ms each, so they are made ahead of queries.
 */
public final class PythonRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(PythonRuntime.class);
    private static volatile Engine engine;

    private PythonRuntime() {}

    /** The shared engine, made on first call; logs whether Python is JIT-compiled. */
    public static Engine engine() {
        Engine e = engine;
        if (e != null) return e;
        synchronized (PythonRuntime.class) {
            if (engine == null) {
                long t0 = System.nanoTime();
                engine = Engine.newBuilder("python").sandbox(SandboxPolicy.CONSTRAINED)
                        .out(OutputStream.nullOutputStream()).err(OutputStream.nullOutputStream())
                        .option("engine.WarnInterpreterOnly", "false").build();
                LOG.info("python_udf: GraalPy engine '{}' ({}) started in {} ms", engine.getImplementationName(),
                        jitEnabled() ? "JIT-compiled" : "interpreter only: 5-20x slower; start the JVM with the Graal compiler"
                                + " on --upgrade-module-path and -XX:+EnableJVMCI", (System.nanoTime() - t0) / 1_000_000);
            }
            return engine;
        }
    }

    /**
     * Starts the engine and runs one throw-away context, the slow part of a fresh JVM (seconds),
     * so that later contexts (one per module) cost only their own making.
     */
    public static void warmUp() {
        engine();
        try (Context c = newContext(OutputStream.nullOutputStream())) {
            c.eval("python", "pass");
        }
    }

    /** True when the engine compiles hot Python to machine code (the Graal compiler is on the JVM). */
    public static boolean jitEnabled() {
        return !engine().getImplementationName().toLowerCase(java.util.Locale.ROOT).contains("interpreted");
    }

    /**
     * A context for one module on one thread: the constrained sandbox of the community edition
     * (no IO, no host classes, no threads, processes, native code or environment), with its output
     * going to {@code out}.
     */
    public static Context newContext(OutputStream out) {
        HostAccess host = HostAccess.newBuilder().allowMapAccess(true).allowListAccess(true).allowArrayAccess(true)
                .allowMutableTargetMappings().build();
        return Context.newBuilder("python").engine(engine())
                .sandbox(SandboxPolicy.CONSTRAINED)
                .out(out).err(out)
                .allowHostAccess(host).allowHostClassLookup(n -> false).allowIO(IOAccess.NONE)
                .allowNativeAccess(false).allowCreateThread(false).allowCreateProcess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE).allowPolyglotAccess(PolyglotAccess.NONE)
                .build();
    }
}
