package dev.strata.node.cluster;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.node.cluster.ReplicaTasks.Copy;
import dev.strata.node.cluster.ReplicaTasks.Op;
import dev.strata.node.storage.Collection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whole partitions on one member: a full copy made (after a refresh, under the partition's lock,
 * so it holds every acknowledged write and no write slips between it and the next), sent to a
 * backup, installed in place of what was here, handed off to a new owner, declared complete, or
 * dropped. Each runs under the partition's lock ({@link Replicas#locked}).
 */
final class PartitionCopies {
    private final PartitionedStore store;
    private final PartitionMask mask;

    PartitionCopies(PartitionedStore store, PartitionMask mask) {
        this.store = store;
        this.mask = mask;
    }

    private Collection collection(String name) { return store.node().collection(name); }

    /** A full copy of partition {@code p} here. Call under the partition's lock. */
    Copy copyOf(Collection c, int p, long version) {
        c.refresh();
        List<Op> docs = new ArrayList<>();
        for (String id : mask.idsOf(c.snapshot(), p)) docs.add(new Op(id, c.getJson(id)));
        return new Copy(version, docs);
    }

    /** Null when the partition's backup holds a full copy (or there is none to hold), else why not. Call under the partition's lock. */
    String syncBackup(String collection, Replicas r, int p) {
        ClusterFabric fabric = store.fabric();
        if (store.settings().backups() == 0) return null;
        Optional<ClusterMember> b = fabric.backup(p);
        if (b.isEmpty()) return fabric.members().size() > 1 ? "partition " + p + " has no backup assigned yet; retry" : null;
        if (b.get().id().equals(r.syncedBackup(p))) return null;
        try {
            fabric.runOn(b.get(), new ReplicaTasks.Install(collection, p, copyOf(collection(collection), p, r.version(p))));
            r.syncedBackup(p, b.get().id());
            return null;
        } catch (RuntimeException e) {
            return "partition " + p + " could not be copied to its backup " + b.get().address() + " (" + e.getMessage() + "); retry";
        }
    }

    /** As owner of {@code p}: sends its backup a full copy unless it holds one already; null when it does, else why not. */
    String pushBackup(String collection, int p) {
        Replicas r = store.replicas(collection);
        return r.locked(p, store.lockWait(), () -> syncBackup(collection, r, p));
    }

    /** Replaces what this member has of partition {@code p} with {@code copy}; the copy here is ready after. */
    void install(String collection, int p, Copy copy) {
        Collection c = collection(collection);
        Replicas r = store.replicas(collection);
        r.locked(p, store.lockWait(), () -> {
            r.set(p, 0, false);
            r.persist(); // a crash in the middle leaves no claim on the partition
            c.refresh();
            c.deleteAll(mask.idsOf(c.snapshot(), p));
            if (!copy.docs().isEmpty()) {
                List<Collection.Document> docs = new ArrayList<>();
                for (Op op : copy.docs()) docs.add(PartitionedStore.document(op));
                Collection.Bulk b = c.bulk(docs);
                if (b.rejectedCount() > 0) throw new IllegalStateException("a copy of partition " + p + " was refused: " + b.rejected().get(0).error().getMessage());
            }
            r.set(p, copy.version(), true);
            r.persist();
            c.refresh(); // the copy's documents were visible where they came from; so they are here at once
            return null;
        });
    }

    /** Sends a new owner this member's copy of {@code p}; from now on this member no longer writes to it as owner. */
    Copy handOff(String collection, int p) {
        Replicas r = store.replicas(collection);
        return r.locked(p, store.lockWait(), () -> {
            if (r.version(p) == 0) throw new StrataException(ErrorCode.UNAVAILABLE, "no copy of partition " + p + " here");
            Copy copy = copyOf(collection(collection), p, r.version(p));
            r.unready(p);
            return copy;
        });
    }

    /** Takes this member's copy of {@code p} as complete: it holds the newest version any member has. */
    void declareReady(String collection, int p) {
        Replicas r = store.replicas(collection);
        r.locked(p, store.lockWait(), () -> {
            r.set(p, r.version(p) == 0 ? Replicas.nextTerm(0) : r.version(p), true);
            r.persist();
            return null;
        });
    }

    /** Forgets partition {@code p} here: its documents are deleted (another member holds it now). */
    void drop(String collection, int p) {
        Collection c = collection(collection);
        Replicas r = store.replicas(collection);
        r.locked(p, store.lockWait(), () -> {
            r.set(p, 0, false);
            r.persist();
            c.refresh();
            c.deleteAll(mask.idsOf(c.snapshot(), p));
            return null;
        });
    }
}
