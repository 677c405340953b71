package dev.strata.node.health;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is wrong with a node right now, by component ({@code collection:products},
 * {@code tier:python_udf}) and task ({@code refresh}, {@code merge}, ...). A problem stays until
 * the same task succeeds again. A fatal error (the node could not go on) stays until restart.
 * Thread-safe.
 */
public final class NodeHealth {
    /** One failing task: since when, why, how often in a row. */
    public record Problem(String component, String task, Instant since, String reason, long failures) {}

    private final Map<String, Problem> problems = new ConcurrentHashMap<>();
    private volatile String fatal;

    private static String key(String component, String task) { return component + "\u0000" + task; }

    /** Records a failure of {@code task} on {@code component}; returns how many in a row. */
    public long failed(String component, String task, Throwable cause) {
        Problem p = problems.compute(key(component, task), (k, old) -> old == null
                ? new Problem(component, task, Instant.now(), describe(cause), 1)
                : new Problem(component, task, old.since(), describe(cause), old.failures() + 1));
        return p.failures();
    }

    /** Clears the problem of {@code task} on {@code component}; returns the problem it cleared, or null. */
    public Problem succeeded(String component, String task) { return problems.remove(key(component, task)); }

    /** Forgets a component (a dropped collection). */
    public void forget(String component) { problems.values().removeIf(p -> p.component().equals(component)); }

    /** Marks the node as failed for good: only a restart helps (the embedded answer to a fatal JVM error). */
    public void fatal(String reason) { this.fatal = reason; }

    /** Why the node failed for good, or null. */
    public String fatalReason() { return fatal; }

    /** The current problems, sorted by component and task. */
    public List<Problem> problems() {
        Map<String, Problem> sorted = new TreeMap<>(problems);
        return List.copyOf(sorted.values());
    }

    public boolean healthy() { return fatal == null && problems.isEmpty(); }

    /** A cause in one line: its class when the message is empty, its message capped at 500 characters. */
    static String describe(Throwable t) {
        String m = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getName() : t.getMessage();
        if (t.getCause() != null && t.getCause() != t && t.getCause().getMessage() != null) m += " (" + t.getCause().getMessage() + ")";
        return m.length() > 500 ? m.substring(0, 500) + "… (truncated)" : m;
    }
}
