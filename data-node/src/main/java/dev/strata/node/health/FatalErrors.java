package dev.strata.node.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a fatal JVM error does to the node. A query's big allocations are kept inside memory
 * budgets, so an OutOfMemoryError means something unaccounted ran out of heap; after one, any
 * thread may have died half-way, so the node does not limp on. As a server ({@code serve}) it
 * prints one line saying so and exits with status {@value #EXIT_STATUS}, for a supervisor to
 * restart it: the write-ahead log makes that lossless for acknowledged writes. Embedded (tests,
 * tools), it marks itself failed on {@code /health} instead of ending the caller's process.
 */
public final class FatalErrors {
    private static final Logger LOG = LoggerFactory.getLogger(FatalErrors.class);
    /** The exit status after a fatal error (as a supervisor sees it). */
    public static final int EXIT_STATUS = 3;

    private final boolean exit;
    private final NodeHealth health;

    public FatalErrors(boolean exit, NodeHealth health) {
        this.exit = exit;
        this.health = health;
    }

    /** Whether {@code t} leaves the JVM in a state nobody should trust: out of memory, or a JVM internal error. */
    public static boolean isFatal(Throwable t) {
        return t instanceof OutOfMemoryError || t instanceof InternalError || t instanceof UnknownError;
    }

    /** Handles a fatal error met in {@code where}; returns only when embedded. */
    public void handle(Throwable t, String where) {
        String line = "strata: fatal: " + t + " in " + where + " (thread " + Thread.currentThread().getName() + "); the node "
                + (exit ? "exits now (status " + EXIT_STATUS + ") so that its supervisor restarts it; acknowledged writes are in the"
                + " write-ahead log" : "is failed and must be restarted");
        try {
            System.err.println(line);
            System.err.flush();
            LOG.error(line);
        } catch (Throwable ignored) {
            // printing may itself fail with the heap exhausted; the exit below must still happen
        }
        if (exit) Runtime.getRuntime().halt(EXIT_STATUS);
        health.fatal(t + " in " + where + " at " + java.time.Instant.now());
    }
}
