package dev.strata.python.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The one timer thread of the Python tier: deadline interrupts and worker kills. */
final class Timers {
    private static final ScheduledThreadPoolExecutor SCHEDULER = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "strata-python-deadline");
        t.setDaemon(true);
        return t;
    });

    static {
        SCHEDULER.setRemoveOnCancelPolicy(true);
    }

    private Timers() {}

    /** Runs {@code action} after {@code nanos} unless the returned future is cancelled first. */
    static ScheduledFuture<?> after(long nanos, Runnable action) {
        return SCHEDULER.schedule(action, Math.max(0, nanos), TimeUnit.NANOSECONDS);
    }
}
