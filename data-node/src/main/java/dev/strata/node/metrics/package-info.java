/**
 * The node's metrics in Prometheus form (Micrometer with its Prometheus registry): requests,
 * queries, tiers and UDFs, storage's syncs, refreshes and merges, collections, pools, workers and
 * the JVM. Other packages report into it through plain calls or {@code storage.StorageObserver};
 * nothing reads metrics back to decide anything.
 */
package dev.strata.node.metrics;
