/**
 * Running as one member of a cluster. Two layers:
 *
 * <ul>
 *   <li>The fabric SPI ({@link dev.strata.node.cluster.ClusterFabric}): who the members are, which
 *       partition a document belongs to, each partition's owner and backup, and running tasks on
 *       members. {@link dev.strata.node.cluster.LocalFabric} is a single node (one member owning
 *       every partition); {@code cluster-hazelcast} provides the distributed one, found by {@link
 *       java.util.ServiceLoader} through {@link dev.strata.node.cluster.ClusterFabricFactory}.
 *       Nothing here names a cluster engine's types.</li>
 *   <li>Partitioned storage on top of it: {@link dev.strata.node.cluster.ClusterWrites} (a write's
 *       way to its owner), {@link dev.strata.node.cluster.PartitionedStore} (the owner's and the
 *       backup's side, {@link dev.strata.node.cluster.Shipping} between them), {@link
 *       dev.strata.node.cluster.PartitionCopies} and {@link dev.strata.node.cluster.Reconciler}
 *       (whole partitions following the partition table), {@link
 *       dev.strata.node.cluster.PartitionMask} (a query reads only the partitions it answers for),
 *       {@link dev.strata.node.cluster.DistributedQuery} (fan-out and merge), and the catalog every
 *       member keeps the same: {@link dev.strata.node.cluster.UdfReplication} (modules) and {@link
 *       dev.strata.node.cluster.CollectionCatalog} (collections), both as the newest stamped
 *       change per name, with tombstones for what was removed.</li>
 * </ul>
 *
 * <p>A member keeps one ordinary local collection per collection holding all partitions it owns
 * or backs up, rather than one shard per partition: the storage layer stays unchanged, failover
 * needs no rebuild (the promoted backup's documents are already indexed; only the mask changes),
 * and a member's heap per document stays a single node's. The price: moving a partition copies
 * its documents, not its segment files.
 */
package dev.strata.node.cluster;
