package dev.strata.node.cluster;

import java.io.Serializable;

/**
 * Work sent to members: serialised, run on each member it is sent to with that member's {@link
 * MemberContext}, and its result sent back. Runs on a Strata-owned fixed executor, never on a
 * fabric's partition threads, so a slow UDF never stalls the fabric.
 */
@FunctionalInterface
public interface ClusterTask<T extends Serializable> extends Serializable {
    T run(MemberContext member) throws Exception;

    /** True for a task that never sends tasks to other members itself; such tasks run on their own executor. */
    default boolean leaf() { return false; }
}
