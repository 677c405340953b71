package dev.strata.wasm.internal;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasi.WasiExitException;

/** Plain-words reasons for what can go wrong inside a guest. */
final class Errors {
    private Errors() {}

    static boolean isInterruption(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ChicoryInterruptedException || t instanceof InterruptedException) return true;
        }
        return false;
    }

    static String reason(Throwable e) {
        if (e instanceof StackOverflowError) return "it ran out of call stack (runaway recursion?)";
        if (e instanceof LimitExceeded) return e.getMessage();
        if (e instanceof WasiExitException x) return "it called proc_exit(" + x.exitCode() + ")";
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (m.contains("call stack exhausted")) return "it ran out of call stack (runaway recursion?)";
        if (e instanceof TrapException) return "it trapped: " + m;
        if (e instanceof IllegalArgumentException || e instanceof IllegalStateException) return "a host call failed: " + m;
        return "it trapped: " + m;
    }
}
