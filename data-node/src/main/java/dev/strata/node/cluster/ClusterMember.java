package dev.strata.node.cluster;

import java.io.Serializable;
import java.util.Objects;

/**
 * One member of the cluster: a stable id (the fabric's member UUID), the address it is reached at
 * by other members, and whether it is this process.
 */
public record ClusterMember(String id, String address, boolean local) implements Serializable {
    public ClusterMember {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
    }
}
