package dev.strata.python.internal;

import dev.strata.core.ErrorCode;
import dev.strata.core.Messages;
import dev.strata.core.StrataException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * One registered version of a Python module, run in this JVM: checked once (syntax, declared
 * functions, their arity), then served by a bounded pool of contexts. Each context evaluates the
 * module on its own, so a module gets a fresh namespace and fresh builtins: patching builtins in
 * one module cannot reach another. A context is used by one thread at a time.
 */
public final class PythonModuleVersion {
    /** One context with the module evaluated in it and the declared functions looked up once. */
    static final class Instance {
        final Context context;
        final Map<String, Value> functions;
        final ByteArrayOutputStream output;
        boolean broken;

        Instance(Context context, Map<String, Value> functions, ByteArrayOutputStream output) {
            this.context = context;
            this.functions = functions;
            this.output = output;
        }
    }

    public final String name;
    public final String source;
    public final String file;
    private final Map<String, PythonSignature> signatures;
    private final int maxContexts;
    private final ConcurrentLinkedDeque<Instance> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger live = new AtomicInteger();
    private volatile boolean retired;

    private PythonModuleVersion(String name, String source, Map<String, PythonSignature> signatures, int maxContexts) {
        this.name = name;
        this.source = source;
        this.file = name + ".py";
        this.signatures = signatures;
        this.maxContexts = maxContexts;
    }

    /**
     * The module as declared, without running it (the isolated mode runs it in the workers only):
     * signatures are parsed; a wrong one is an INVALID_REQUEST.
     */
    public static PythonModuleVersion declare(String name, String source, Map<String, String> declared, int maxContexts) {
        List<String> problems = new ArrayList<>();
        Map<String, PythonSignature> sigs = signatures(declared, problems);
        if (!problems.isEmpty()) throw refused(name, problems);
        return new PythonModuleVersion(name, source, sigs, maxContexts);
    }

    /** The declared signatures that parse; what is wrong with the others goes to {@code problems}. */
    private static Map<String, PythonSignature> signatures(Map<String, String> declared, List<String> problems) {
        Map<String, PythonSignature> sigs = new TreeMap<>();
        for (var d : declared.entrySet()) {
            try {
                sigs.put(d.getKey(), PythonSignature.parse(d.getValue()));
            } catch (IllegalArgumentException e) {
                problems.add("the signature of '" + d.getKey() + "' is wrong: " + e.getMessage());
            }
        }
        if (declared.isEmpty()) problems.add("it declares no function; give each function a query calls a signature such as '(float, str) -> bool'");
        return sigs;
    }

    private static StrataException refused(String name, List<String> problems) {
        String msg = problems.size() == 1 ? "python_udf module '" + name + "' was refused: " + problems.get(0)
                : "python_udf module '" + name + "' was refused:\n - " + Messages.list(problems, "\n - ");
        return new StrataException(ErrorCode.INVALID_REQUEST, msg);
    }

    /** Checks the module by running it here and keeps that first context; every problem is reported in one INVALID_REQUEST. */
    public static PythonModuleVersion load(String name, String source, Map<String, String> declared, int maxContexts) {
        return load(name, source, declared, maxContexts, 0);
    }

    /**
     * As above, with a limit on running the module's top level: past {@code budgetMillis} (0: none)
     * the context is cancelled and the load fails with DEADLINE_EXCEEDED.
     */
    public static PythonModuleVersion load(String name, String source, Map<String, String> declared, int maxContexts, long budgetMillis) {
        List<String> problems = new ArrayList<>();
        Map<String, PythonSignature> sigs = signatures(declared, problems);
        PythonModuleVersion v = new PythonModuleVersion(name, source, sigs, maxContexts);
        Instance first = null;
        if (!declared.isEmpty()) {
            try {
                first = v.instantiate(problems, budgetMillis);
            } catch (PolyglotException e) {
                if (e.isSyntaxError()) {
                    // GraalPy's message names the line Python reports ("invalid syntax (m.py, line 2)");
                    // the source location may point past it, at the token where parsing gave up.
                    var at = e.getSourceLocation();
                    String msg = String.valueOf(e.getMessage());
                    problems.add("syntax error: " + msg + (msg.contains("line ") || at == null ? ""
                            : " (" + v.file + ", line " + at.getStartLine() + ", column " + at.getStartColumn() + ")"));
                } else {
                    problems.add("running the module failed: " + PythonErrors.describe(e, v.file));
                }
            }
        }
        if (!problems.isEmpty()) {
            if (first != null) first.context.close(true);
            throw refused(name, problems);
        }
        v.live.incrementAndGet();
        v.idle.push(first);
        return v;
    }

    /**
     * A fresh context with the module evaluated; problems with declared functions are added to
     * {@code problems}. Past {@code budgetMillis} (0: no limit) the context is cancelled and this
     * throws DEADLINE_EXCEEDED.
     */
    private Instance instantiate(List<String> problems, long budgetMillis) {
        ByteArrayOutputStream out = new BoundedBuffer(64 << 10);
        Context c = PythonRuntime.newContext(out);
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> timer = budgetMillis <= 0 ? null : Timers.after(TimeUnit.MILLISECONDS.toNanos(budgetMillis), () -> {
            fired.set(true);
            // cancelling waits for the guest to stop; never block the shared timer thread on it
            Thread.ofPlatform().daemon().name("strata-python-load-cancel").start(() -> closeQuietly(c));
        });
        try {
            Instance made = evaluate(c, out, problems);
            if (timer != null) timer.cancel(false);
            if (fired.get()) throw timedOut(budgetMillis);
            return made;
        } catch (RuntimeException e) {
            if (timer != null) timer.cancel(false);
            if (fired.get()) throw timedOut(budgetMillis);
            throw e;
        }
    }

    private StrataException timedOut(long budgetMillis) {
        return new StrataException(ErrorCode.DEADLINE_EXCEEDED, "python_udf module '" + name + "' did not finish loading within "
                + budgetMillis + " ms: its top level was still running (setting python.load-timeout-ms)");
    }

    private Instance evaluate(Context c, ByteArrayOutputStream out, List<String> problems) {
        try {
            c.eval(Source.newBuilder("python", source, file).buildLiteral());
            Value bindings = c.getBindings("python");
            Map<String, Value> fns = new LinkedHashMap<>();
            for (var e : signatures.entrySet()) {
                Value f = bindings.getMember(e.getKey());
                if (f == null) {
                    problems.add("'" + e.getKey() + "' is declared, but the module defines no such name");
                } else if (!f.canExecute()) {
                    problems.add("'" + e.getKey() + "' is declared as a function, but it is not callable");
                } else {
                    Value code = f.getMember("__code__");
                    int want = e.getValue().document() ? 1 : e.getValue().params().size();
                    if (code != null && code.hasMember("co_argcount") && code.getMember("co_argcount").asInt() != want) {
                        problems.add("'" + e.getKey() + "' is declared " + e.getValue() + " (" + want + " parameter" + (want == 1 ? "" : "s")
                                + "), but the function takes " + code.getMember("co_argcount").asInt());
                    }
                    fns.put(e.getKey(), f);
                }
            }
            return new Instance(c, fns, out);
        } catch (RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private static void closeQuietly(Context c) {
        try {
            c.close(true);
        } catch (RuntimeException e) {
            // a context that was cancelled or is closing may refuse; it is gone either way
        }
    }

    public Map<String, PythonSignature> signatures() { return signatures; }

    /** A context for the calling thread's exclusive use; made (below the cap) or waited for. */
    Instance borrow(long deadlineNanos) {
        while (true) {
            Instance i = idle.poll();
            if (i != null) return i;
            int n = live.get();
            if (n < maxContexts && live.compareAndSet(n, n + 1)) {
                try {
                    List<String> problems = new ArrayList<>();
                    Instance made = instantiate(problems, 0);
                    if (!problems.isEmpty()) throw new IllegalStateException(String.join("; ", problems));
                    return made;
                } catch (RuntimeException e) {
                    live.decrementAndGet();
                    throw e;
                }
            }
            if (System.nanoTime() - deadlineNanos > 0) {
                throw new StrataException(ErrorCode.UNAVAILABLE, "all " + maxContexts + " Python contexts of module '" + name + "' are busy");
            }
            LockSupport.parkNanos(100_000);
        }
    }

    /** Gives a context back; one that failed in a way that may have left it broken is closed instead. */
    void release(Instance i) {
        if (i.broken || retired) {
            live.decrementAndGet();
            try {
                i.context.close(true);
            } catch (RuntimeException e) {
                // closing a cancelled context may throw; it is gone either way
            }
            return;
        }
        idle.push(i);
    }

    public int liveContexts() { return live.get(); }

    /** Closes the idle contexts now and busy ones when they come back (a replaced or unloaded module). */
    public void close() {
        retired = true;
        Instance i;
        while ((i = idle.poll()) != null) {
            live.decrementAndGet();
            i.context.close(true);
        }
    }

    /** Keeps the last {@code limit} bytes a module printed, so print() in a loop cannot fill the heap. */
    static final class BoundedBuffer extends ByteArrayOutputStream {
        private final int limit;

        BoundedBuffer(int limit) { this.limit = limit; }

        @Override
        public synchronized void write(int b) {
            if (count >= limit) reset();
            super.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (count + len > limit) reset();
            super.write(b, off, Math.min(len, limit));
        }
    }
}
