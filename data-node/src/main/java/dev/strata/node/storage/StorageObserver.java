package dev.strata.node.storage;

/**
 * What the storage layer tells an observer (the node's metrics) about its background and durable
 * work, as it happens: log syncs, refreshes and merges with how long they took. Called on the
 * thread that did the work; an observer must be quick and must not throw.
 */
public interface StorageObserver {
    /** Observes nothing. */
    StorageObserver NONE = new StorageObserver() {};

    /** A write-ahead log fsync of {@code collection} returned after {@code nanos}. */
    default void logSynced(String collection, long nanos) {}

    /** A refresh sealed {@code documents} written documents of {@code collection} into a segment in {@code nanos}. */
    default void refreshed(String collection, long nanos, long documents) {}

    /** A merge combined {@code segments} segments of {@code collection} in {@code nanos}. */
    default void merged(String collection, long nanos, int segments) {}
}
