package dev.strata.node.cluster;

import java.util.List;
import java.util.Objects;

/**
 * How a member joins its cluster. Joining is explicit: the member listens on {@code host:port}
 * (the next free port from it when {@code port} is taken, if {@code portAutoIncrement}) and
 * finds the others at {@code seeds} ({@code host:port} each); no multicast, no cloud discovery,
 * no phone-home.
 *
 * @param clusterName members join only a cluster of this name
 * @param partitions how many partitions documents are spread over (fixed for a cluster's life)
 * @param backups synchronous backup copies of each partition (1: a write is on two members)
 * @param quorum the fewest members a side of a split needs to accept writes (0: no protection)
 * @param retryFor how long a request keeps retrying work whose partition is moving, or whose
 *     member just left, before it answers UNAVAILABLE
 */
public record ClusterSettings(String clusterName, String host, int port, boolean portAutoIncrement, List<String> seeds,
                              int partitions, int backups, int quorum, java.time.Duration retryFor) {
    public static final java.time.Duration DEFAULT_RETRY = java.time.Duration.ofSeconds(60);

    public ClusterSettings {
        Objects.requireNonNull(clusterName, "clusterName");
        Objects.requireNonNull(host, "host");
        seeds = List.copyOf(seeds);
        if (partitions < 1) throw new IllegalArgumentException("a cluster needs at least one partition");
        if (backups < 0 || backups > 1) throw new IllegalArgumentException("backups must be 0 or 1 (one synchronous backup copy per partition)");
        Objects.requireNonNull(retryFor, "retryFor");
        if (quorum < 0) throw new IllegalArgumentException("the quorum must not be negative");
    }

    /** A loopback member of cluster {@code name} on {@code port}, finding the others on the given loopback ports. */
    public static ClusterSettings loopback(String name, int port, List<Integer> seedPorts) {
        return new ClusterSettings(name, "127.0.0.1", port, false, seedPorts.stream().map(p -> "127.0.0.1:" + p).toList(), 71, 1, 0, DEFAULT_RETRY);
    }

    public ClusterSettings withPartitions(int n) { return new ClusterSettings(clusterName, host, port, portAutoIncrement, seeds, n, backups, quorum, retryFor); }

    public ClusterSettings withQuorum(int q) { return new ClusterSettings(clusterName, host, port, portAutoIncrement, seeds, partitions, backups, q, retryFor); }
}
