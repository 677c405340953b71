package dev.strata.node.cluster;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The cluster as a data node sees it. Thread-safe. A fabric is started by a {@link
 * ClusterFabricFactory} (or is a {@link LocalFabric}) and closed with the node.
 *
 * <p>Partitions are numbered {@code 0 .. partitionCount() - 1}; a document's partition comes from
 * its id alone ({@link #partitionOf}), the same on every member. Ownership moves when members join
 * or leave; {@link #onChange} listeners hear of it.
 */
public interface ClusterFabric extends AutoCloseable {
    /** This member. */
    ClusterMember localMember();

    /** Every member now, this one included, in the fabric's order (oldest first). */
    List<ClusterMember> members();

    int partitionCount();

    /** The partition of the document with id {@code documentId}: a pure function of the id. */
    int partitionOf(String documentId);

    /** The member owning {@code partition} now, empty while it is being assigned or migrated. */
    Optional<ClusterMember> owner(int partition);

    /**
     * The member holding the first backup replica of {@code partition} now (the one a fabric promotes
     * when the owner dies), empty when there is none (a cluster of one, or while being assigned).
     */
    Optional<ClusterMember> backup(int partition);

    /** The partitions this member owns now. */
    Set<Integer> ownedPartitions();

    /**
     * True when no partition is migrating and every partition has an owner: ownership read now holds
     * until members change. Cheap and local (never waits on other members).
     */
    boolean settled();

    /** True while this member's side of the cluster has at least the configured quorum of members. */
    boolean hasQuorum();

    /** Calls {@code listener} (on a fabric thread; it must be quick) after membership or partition ownership changed. */
    void onChange(Runnable listener);

    /** Makes {@code service} available to tasks run on this member ({@link MemberContext#service}). */
    <S> void register(Class<S> type, S service);

    /**
     * Runs {@code task} on every member and returns each member's result, or throws naming the
     * member whose run failed (its cause attached). Blocks until all answered.
     */
    <T extends Serializable> Map<ClusterMember, T> runOnMembers(ClusterTask<T> task);

    /**
     * Runs {@code task} on {@code member} and returns its result, or throws naming the member (its
     * cause attached; a {@link dev.strata.core.StrataException} thrown by the task arrives as itself).
     * {@link ClusterTask#leaf() Leaf} tasks run on their own executor, so a task that waits on
     * leaf tasks of other members can never starve them.
     */
    <T extends Serializable> T runOn(ClusterMember member, ClusterTask<T> task);

    @Override
    void close();
}
