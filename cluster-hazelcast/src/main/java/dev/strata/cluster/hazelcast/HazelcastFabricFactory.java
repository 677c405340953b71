package dev.strata.cluster.hazelcast;

import dev.strata.node.cluster.ClusterFabric;
import dev.strata.node.cluster.ClusterFabricFactory;
import dev.strata.node.cluster.ClusterSettings;

/** Found by {@link java.util.ServiceLoader}: starts an embedded Hazelcast member as the node's fabric. */
public final class HazelcastFabricFactory implements ClusterFabricFactory {
    @Override
    public String name() { return "hazelcast"; }

    @Override
    public ClusterFabric start(ClusterSettings settings) { return HazelcastFabric.start(settings); }
}
