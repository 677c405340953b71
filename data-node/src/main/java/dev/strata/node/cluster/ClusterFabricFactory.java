package dev.strata.node.cluster;

/**
 * Starts a distributed {@link ClusterFabric}: found by {@link java.util.ServiceLoader} (the
 * {@code cluster-hazelcast} module provides one), so the data node names no cluster engine.
 */
public interface ClusterFabricFactory {
    /** The fabric's name, as settings and messages give it ({@code hazelcast}). */
    String name();

    /** Starts a member with {@code settings} and returns once it has joined (or formed) its cluster. */
    ClusterFabric start(ClusterSettings settings);

    /** The installed factory named {@code name}, or an error naming the installed ones. */
    static ClusterFabricFactory named(String name) {
        java.util.List<String> installed = new java.util.ArrayList<>();
        for (ClusterFabricFactory f : java.util.ServiceLoader.load(ClusterFabricFactory.class)) {
            if (f.name().equals(name)) return f;
            installed.add(f.name());
        }
        throw new IllegalStateException("no cluster fabric '" + name + "' is installed" + (installed.isEmpty()
                ? " (add the cluster-hazelcast module to the class path)" : "; installed: " + String.join(", ", installed)));
    }
}
