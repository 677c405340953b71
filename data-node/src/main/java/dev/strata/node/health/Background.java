package dev.strata.node.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Background work that never dies and never hides. A task runs on a fixed delay over a set of
 * targets (the collections); one target's failure is caught (whatever it throws), logged at ERROR
 * with its cause, shown on {@link NodeHealth} as {@code degraded}, and retried after a back-off
 * that doubles up to {@link #MAX_BACKOFF}; the other targets and later runs go on. The first
 * success after failures clears the problem and says so in the log. A fatal JVM error goes to
 * {@link FatalErrors}.
 */
public final class Background {
    private static final Logger LOG = LoggerFactory.getLogger(Background.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final ScheduledExecutorService scheduler;
    private final NodeHealth health;
    private final FatalErrors fatal;

    public Background(ScheduledExecutorService scheduler, NodeHealth health, FatalErrors fatal) {
        this.scheduler = scheduler;
        this.health = health;
        this.fatal = fatal;
    }

    /**
     * Runs {@code action} on each of {@code targets} every {@code interval}.
     *
     * @param component names a target for health and logs ({@code collection:products})
     */
    public <T> void every(String task, Duration interval, Supplier<List<T>> targets, Function<T, String> component, Consumer<T> action) {
        long delay = Math.max(1, interval.toMillis());
        Map<String, Long> retryAt = new ConcurrentHashMap<>(); // component -> nanoTime before which it is skipped
        scheduler.scheduleWithFixedDelay(() -> {
            List<T> now;
            try {
                now = targets.get();
            } catch (Throwable t) {
                failed(task, "node", t, retryAt, delay);
                return;
            }
            health.succeeded("node", task);
            for (T target : now) {
                String c = component.apply(target);
                Long at = retryAt.get(c);
                if (at != null && System.nanoTime() - at < 0) continue;
                try {
                    action.accept(target);
                    retryAt.remove(c);
                    NodeHealth.Problem cleared = health.succeeded(c, task);
                    if (cleared != null) {
                        LOG.info("{} of {} works again after {} failure(s) since {}", task, c, cleared.failures(), cleared.since());
                    }
                } catch (Throwable t) {
                    failed(task, c, t, retryAt, delay);
                }
            }
        }, delay, delay, TimeUnit.MILLISECONDS);
    }

    private void failed(String task, String component, Throwable t, Map<String, Long> retryAt, long delayMillis) {
        if (FatalErrors.isFatal(t)) {
            fatal.handle(t, task + " of " + component);
            return;
        }
        long failures = health.failed(component, task, t);
        long backoff = Math.min(MAX_BACKOFF.toMillis(), delayMillis << Math.min(20, failures));
        retryAt.put(component, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff));
        if (failures == 1) {
            LOG.error("{} of {} failed; retrying in {} ms, and {} is degraded until it works", task, component, backoff, component, t);
        } else {
            LOG.error("{} of {} failed again ({} in a row): {}; retrying in {} ms", task, component, failures, NodeHealth.describe(t), backoff);
        }
    }
}
