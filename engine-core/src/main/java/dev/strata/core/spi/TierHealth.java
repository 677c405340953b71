package dev.strata.core.spi;

import java.util.List;
import java.util.Map;

/**
 * How a tier is doing, for the node's {@code /health}: {@code ok}, {@code starting} (it will be
 * ready without anyone acting: workers starting, stored modules loading) or {@code degraded}
 * (something failed and is being retried, or needs a user: a module that failed to load).
 *
 * @param problems one sentence each, saying since when and why
 * @param details facts worth showing (workers ready, modules loading, ...)
 */
public record TierHealth(Status status, List<String> problems, Map<String, Object> details) {
    public enum Status { OK, STARTING, DEGRADED }

    public static final TierHealth OK = new TierHealth(Status.OK, List.of(), Map.of());

    public TierHealth {
        problems = List.copyOf(problems);
        details = Map.copyOf(details);
    }
}
