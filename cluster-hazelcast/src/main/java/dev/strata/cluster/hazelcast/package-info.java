/**
 * Strata's {@link dev.strata.node.cluster.ClusterFabric} on an embedded Hazelcast member: the only
 * package in Strata that imports {@code com.hazelcast} (an architecture test holds this). Joining
 * is explicit TCP on the configured seeds; multicast, auto-detection and phone-home are off.
 */
package dev.strata.cluster.hazelcast;
