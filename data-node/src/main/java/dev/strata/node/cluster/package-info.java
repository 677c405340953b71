/**
 * The cluster fabric SPI: who the members are, which partition a document belongs to, who owns
 * each partition, and running a task on every member. {@link dev.strata.node.cluster.LocalFabric}
 * is a single node (one member owning every partition); {@code cluster-hazelcast} provides the
 * distributed one, found by {@link java.util.ServiceLoader} through {@link
 * dev.strata.node.cluster.ClusterFabricFactory}. Nothing here names a cluster engine's types.
 */
package dev.strata.node.cluster;
