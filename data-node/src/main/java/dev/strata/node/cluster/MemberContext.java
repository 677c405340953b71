package dev.strata.node.cluster;

import java.util.Set;

/**
 * What a {@link ClusterTask} sees on the member that runs it: who the member is, the partitions it
 * owns at that moment, and the member's local services by type (the node, in a data node).
 */
public interface MemberContext {
    ClusterMember member();

    Set<Integer> ownedPartitions();

    /** The service of {@code type} this member registered with its fabric ({@link ClusterFabric#register}), or null. */
    <S> S service(Class<S> type);
}
