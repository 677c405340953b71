package dev.strata.node.cluster;

import dev.strata.core.ErrorCode;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** The messages of partitioned storage: what a coordinator, an owner and a backup send each other. */
final class ReplicaTasks {
    private ReplicaTasks() {}

    /** One write: a document's text (UTF-8 JSON without {@code _id}), or a delete when {@code json} is null. */
    record Op(String id, byte[] json) implements Serializable {
        boolean delete() { return json == null; }
    }

    enum Kind { WRITTEN, DELETED, REJECTED, RETRY }

    /** What became of one op: written ({@code flag}: created), deleted ({@code flag}: it existed), refused, or to be sent again. */
    record Outcome(Kind kind, boolean flag, ErrorCode code, String message) implements Serializable {
        static Outcome retry(String why) { return new Outcome(Kind.RETRY, false, ErrorCode.UNAVAILABLE, why); }
    }

    /** What one member holds of a collection: each partition's version and whether its copy is ready, and the backups it has synced. */
    record Holdings(long[] versions, boolean[] ready, String[] syncedBackup) implements Serializable {}

    /** A partition's documents as a copy carries them. */
    record Copy(long version, List<Op> docs) implements Serializable {}

    private static PartitionedStore store(MemberContext m) {
        PartitionedStore s = m.service(PartitionedStore.class);
        if (s == null) throw new dev.strata.core.StrataException(ErrorCode.UNAVAILABLE, "member " + m.member().address() + " is still starting; retry");
        return s;
    }

    /** To the owner: write these ops of partitions it owns; ops of others come back as RETRY. */
    record OwnerWrite(String collection, List<Op> ops) implements ClusterTask<Outcome[]> {
        @Override
        public Outcome[] run(MemberContext m) { return store(m).writeAsOwner(collection, ops); }
    }

    /** To a backup: apply ops its owner has written, at the owner's versions. */
    record ReplicaWrite(String collection, List<Op> ops, Map<Integer, Long> versions) implements ClusterTask<Boolean> {
        @Override
        public Boolean run(MemberContext m) {
            store(m).applyReplica(collection, ops, versions);
            return true;
        }

        @Override
        public boolean leaf() { return true; }
    }

    /** To a new holder: replace what it has of a partition with this copy. */
    record Install(String collection, int partition, Copy copy) implements ClusterTask<Boolean> {
        @Override
        public Boolean run(MemberContext m) {
            store(m).copies().install(collection, partition, copy);
            return true;
        }

        @Override
        public boolean leaf() { return true; }
    }

    /** To the holder of a partition's newest copy: send it to a new owner and stop acting as its owner. */
    record Fetch(String collection, int partition) implements ClusterTask<Copy> {
        @Override
        public Copy run(MemberContext m) { return store(m).copies().handOff(collection, partition); }

        @Override
        public boolean leaf() { return true; }
    }

    /** To every member: what it holds of a collection. */
    record Holds(String collection) implements ClusterTask<Holdings> {
        @Override
        public Holdings run(MemberContext m) { return store(m).holdings(collection); }

        @Override
        public boolean leaf() { return true; }
    }

    /** To the owner: a document's stored text, or null. */
    record Get(String collection, String id) implements ClusterTask<byte[]> {
        @Override
        public byte[] run(MemberContext m) { return store(m).getAsOwner(collection, id); }

        @Override
        public boolean leaf() { return true; }
    }

    /** To every member: a collection created or dropped, applied unless the member knows a newer change. */
    record Catalog(CollectionCatalog.Entry change) implements ClusterTask<Boolean> {
        @Override
        public Boolean run(MemberContext m) { return store(m).applyCatalog(change); }

        @Override
        public boolean leaf() { return true; }
    }

    /** To every member: refresh its copy of a collection. */
    record Refresh(String collection) implements ClusterTask<Boolean> {
        @Override
        public Boolean run(MemberContext m) { return store(m).node().collection(collection).refresh(); }

        @Override
        public boolean leaf() { return true; }
    }

    /** To a member: the last create or drop of each collection it knows. */
    record ListCatalog() implements ClusterTask<java.util.TreeMap<String, CollectionCatalog.Entry>> {
        @Override
        public java.util.TreeMap<String, CollectionCatalog.Entry> run(MemberContext m) { return store(m).catalog().all(); }

        @Override
        public boolean leaf() { return true; }
    }
}
