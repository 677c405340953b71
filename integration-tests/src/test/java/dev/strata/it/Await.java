package dev.strata.it;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Waiting in tests: poll for a condition with a long ceiling, never sleep for a guessed time, so a
 * loaded machine makes a test slower, not red.
 */
final class Await {
    /** How long any wait may take before the test gives up: generous on purpose. */
    static final Duration PATIENCE = Duration.ofMinutes(5);

    private Await() {}

    /** Polls {@code probe} until {@code done} holds; fails after {@link #PATIENCE} naming {@code what} and the last value. */
    static <T> T until(String what, Supplier<T> probe, Predicate<T> done) {
        long until = System.nanoTime() + PATIENCE.toNanos();
        T last = null;
        while (System.nanoTime() < until) {
            last = probe.get();
            if (done.test(last)) return last;
            sleep(200);
        }
        throw new AssertionError("waited " + PATIENCE + " for " + what + "; last: " + last);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
