package dev.strata.wasm.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Stops guest code at a deadline by interrupting the thread running it: Chicory checks the
 * interrupt flag in loops and calls, in compiled and interpreted code alike, and throws. Only the
 * span between {@link #arm} and {@link Armed#close} can be interrupted, so an interrupt never lands
 * in unrelated work of the same thread; a flag set late is cleared on close.
 */
public final class DeadlineGuard {
    private static final ScheduledThreadPoolExecutor WATCHDOG = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "strata-wasm-deadline");
        t.setDaemon(true);
        return t;
    });

    static {
        WATCHDOG.setRemoveOnCancelPolicy(true);
    }

    private DeadlineGuard() {}

    /** An armed deadline; close it when the guarded work ends, whatever happened. */
    public static final class Armed implements AutoCloseable {
        private final Thread thread = Thread.currentThread();
        private ScheduledFuture<?> task;
        private boolean active = true;
        private boolean fired;

        private synchronized void fire() {
            if (active) {
                fired = true;
                thread.interrupt();
            }
        }

        /** Whether the deadline interrupted the guarded work. */
        public synchronized boolean fired() { return fired; }

        @Override
        public void close() {
            synchronized (this) {
                active = false;
            }
            if (task != null) task.cancel(false);
            if (fired()) Thread.interrupted(); // Chicory leaves the flag set; the thread goes on serving
        }
    }

    /** Arms a deadline on the {@link System#nanoTime()} clock; {@link Long#MAX_VALUE} arms nothing. */
    public static Armed arm(long deadlineNanos) {
        Armed a = new Armed();
        if (deadlineNanos != Long.MAX_VALUE) {
            long delay = Math.max(0, deadlineNanos - System.nanoTime());
            a.task = WATCHDOG.schedule(a::fire, delay, TimeUnit.NANOSECONDS);
        }
        return a;
    }
}
