package dev.strata.node.cluster;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.node.Node;
import dev.strata.node.cluster.ReplicaTasks.Holdings;
import dev.strata.node.cluster.ReplicaTasks.Kind;
import dev.strata.node.cluster.ReplicaTasks.Op;
import dev.strata.node.cluster.ReplicaTasks.Outcome;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Snapshot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One member's side of partitioned storage. The member keeps one local collection per collection,
 * holding every partition it owns or backs up; {@link Replicas} says, per partition, which copies
 * here are complete. An owner writes under the partition's lock, fsyncs, and sends the ops to the
 * partition's backup, which fsyncs too, before it answers: an acknowledged write is on two disks.
 * Queries read {@link #ownedSnapshot} only: the partitions this member owns with a ready copy.
 */
public final class PartitionedStore {
    private final Node node;
    private final ClusterFabric fabric;
    private final Path stateDir;
    private final PartitionMask mask;
    private final PartitionCopies copies;
    private final Map<String, Replicas> replicas = new ConcurrentHashMap<>();
    private final Map<String, BitSet> answered = new ConcurrentHashMap<>(); // by collection: what the last query here answered for
    private final Shipping shipping;
    private final ClusterSettings settings;
    private final Reconciler reconciler;
    private final ClusterWrites writes;
    private final UdfReplication udfs;
    private final CollectionCatalog catalog;

    public PartitionedStore(Node node, ClusterFabric fabric, ClusterSettings settings, Path stateDir) {
        this.node = node;
        this.fabric = fabric;
        this.settings = settings;
        this.stateDir = stateDir;
        this.mask = new PartitionMask(fabric);
        this.copies = new PartitionCopies(this, mask);
        this.shipping = new Shipping(fabric);
        this.reconciler = new Reconciler(this);
        this.writes = new ClusterWrites(this);
        this.udfs = new UdfReplication(node, fabric, stateDir.resolve("udfs"));
        this.catalog = new CollectionCatalog(node, stateDir.resolve("catalog"));
    }

    /** UDF modules across the cluster: registered, replaced and unloaded on every member. */
    public UdfReplication udfs() { return udfs; }

    /** Starts keeping this member's partitions in line with the partition table. */
    public void start() {
        fabric.register(PartitionedStore.class, this);
        reconciler.start();
    }

    /** Where writes received by this member go: to each partition's owner and backup. */
    public ClusterWrites writes() { return writes; }

    /** True when every partition this member owns has a ready copy and every backup it owes a copy has one. */
    public boolean inLine() { return reconciler.inLine(); }

    /** After a partition-table change: copies here of partitions this member no longer owns or backs up are no longer current. */
    void forgetOutsideRoles() {
        String me = fabric.localMember().id();
        for (Replicas r : replicas.values()) {
            for (int p = 0; p < fabric.partitionCount(); p++) {
                boolean owner = fabric.owner(p).map(m -> m.id().equals(me)).orElse(false);
                boolean backup = fabric.backup(p).map(m -> m.id().equals(me)).orElse(false);
                if (!owner && !backup && r.ready(p)) r.unready(p);
                else if (!owner) r.endTerm(p);
            }
        }
    }

    ClusterFabric fabric() { return fabric; }

    ClusterSettings settings() { return settings; }

    private volatile boolean catalogTaken; // this member has taken the cluster's collections at least once since it started

    void catalogTaken() { catalogTaken = true; }

    /**
     * The local collection, or NOT_FOUND; but UNAVAILABLE (retry) while this member has not yet
     * taken the cluster's collections after joining: it may just not have it yet.
     */
    public Collection collection(String name) {
        try {
            return node.collection(name);
        } catch (StrataException e) {
            if (e.code() != ErrorCode.NOT_FOUND || catalogTaken) throw e;
            throw new StrataException(ErrorCode.UNAVAILABLE, "this member is joining the cluster and has not taken its collections yet; retry");
        }
    }

    /** How long partition work waits for a partition's lock before it answers UNAVAILABLE (retried): a twelfth of the retry period. */
    java.time.Duration lockWait() { return settings.retryFor().dividedBy(12); }

    /** Whole-partition work on this member: copies sent, installed, declared ready, dropped. */
    PartitionCopies copies() { return copies; }

    Node node() { return node; }

    Replicas replicas(String collection) {
        collection(collection); // NOT_FOUND for a collection this member does not have
        return replicas.computeIfAbsent(collection, c -> new Replicas(stateDir.resolve(c + ".versions"), fabric.partitionCount()));
    }

    /**
     * The partitions this member answers queries for: owned here, with a ready copy. A partition it
     * did not answer for at the last call (a backup just promoted, an owner swapped with its backup
     * by a migration) makes it refresh first: the writes it took as backup were acknowledged, and
     * the old owner showed them, so they must be visible here before it answers for them.
     */
    public BitSet answering(String collection) {
        Replicas r = replicas(collection);
        BitSet out = new BitSet();
        for (int p : fabric.ownedPartitions()) if (r.ready(p)) out.set(p);
        BitSet shown = answered.computeIfAbsent(collection, c -> new BitSet());
        synchronized (shown) {
            BitSet fresh = (BitSet) out.clone();
            fresh.andNot(shown);
            if (!fresh.isEmpty()) collection(collection).refresh();
            shown.clear();
            shown.or(out); // one it stops answering for refreshes again when it comes back
        }
        return out;
    }

    /** The collection as a query on this member reads it: the documents of {@code partitions} only. */
    public Snapshot ownedSnapshot(String collection, BitSet partitions) {
        return mask.restrict(collection(collection).snapshot(), partitions);
    }

    private boolean ownsReady(Replicas r, int p) {
        return r.ready(p) && fabric.owner(p).map(m -> m.id().equals(fabric.localMember().id())).orElse(false);
    }

    /** Writes ops as owner of their partitions; ops of partitions it does not own (or whose copy is not ready) come back RETRY. */
    Outcome[] writeAsOwner(String collection, List<Op> ops) {
        Collection c = collection(collection);
        Replicas r = replicas(collection);
        Outcome[] out = new Outcome[ops.size()];
        int[] part = new int[ops.size()]; // each op's partition, hashed once
        TreeMap<Integer, List<Integer>> byPartition = new TreeMap<>();
        for (int i = 0; i < ops.size(); i++) {
            part[i] = fabric.partitionOf(ops.get(i).id());
            byPartition.computeIfAbsent(part[i], k -> new ArrayList<>()).add(i);
        }
        List<Integer> locked = new ArrayList<>();
        try {
            for (var e : byPartition.entrySet()) {
                int p = e.getKey();
                try {
                    r.lock(p, lockWait());
                } catch (StrataException busy) {
                    for (int i : e.getValue()) out[i] = Outcome.retry(busy.getMessage());
                    continue;
                }
                locked.add(p);
                String why = !ownsReady(r, p) ? "partition " + p + " is moving to another member; retry" : copies.syncBackup(collection, r, p);
                if (why != null) for (int i : e.getValue()) out[i] = Outcome.retry(why);
            }
            List<Integer> todo = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) if (out[i] == null) todo.add(i);
            if (todo.isEmpty()) return out;
            apply(c, ops, todo, out);
            Map<Integer, Long> versions = new HashMap<>();
            for (int i : todo) if (out[i].kind() != Kind.REJECTED) versions.merge(part[i], 1L, Long::sum);
            for (int p : versions.keySet()) r.startTerm(p);
            for (var v : versions.entrySet()) {
                long next = r.version(v.getKey()) + v.getValue();
                r.set(v.getKey(), next, true);
                v.setValue(next);
            }
            r.persist();
            if (settings.backups() > 0) shipping.toBackups(collection, r, ops, part, todo, out, versions);
            return out;
        } finally {
            for (int p : locked) r.locks[p].unlock();
        }
    }

    /** Writes the ops at {@code todo} to the local collection: puts as one bulk, deletes as one append. */
    static void apply(Collection c, List<Op> ops, List<Integer> todo, Outcome[] out) {
        List<Collection.Document> docs = new ArrayList<>();
        List<Integer> putAt = new ArrayList<>();
        List<String> deletes = new ArrayList<>();
        for (int i : todo) {
            Op op = ops.get(i);
            if (op.delete()) {
                deletes.add(op.id());
                out[i] = new Outcome(Kind.DELETED, c.getJson(op.id()) != null, null, null); // no parse to learn it exists
            } else {
                docs.add(document(op));
                putAt.add(i);
            }
        }
        if (!docs.isEmpty()) {
            Collection.Bulk b = c.bulk(docs);
            Map<Integer, StrataException> refused = new HashMap<>();
            for (Collection.Rejected x : b.rejected()) refused.put(x.index(), x.error());
            int w = 0;
            for (int k = 0; k < docs.size(); k++) {
                int i = putAt.get(k);
                if (!refused.containsKey(k) && w < b.written().size() && b.written().get(w).id().equals(docs.get(k).id())) {
                    out[i] = new Outcome(Kind.WRITTEN, b.written().get(w++).created(), null, null);
                } else {
                    StrataException e = refused.get(k);
                    out[i] = new Outcome(Kind.REJECTED, false, e == null ? ErrorCode.INVALID_REQUEST : e.code(),
                            e == null ? "refused (only the first " + Collection.MAX_REJECTED_SHOWN + " reasons are kept)" : e.getMessage());
                }
            }
        }
        if (!deletes.isEmpty()) c.deleteAll(deletes);
    }

    static Collection.Document document(Op op) {
        Json.Document d = Json.parseDocument(new String(op.json(), StandardCharsets.UTF_8));
        return new Collection.Document(op.id(), d.fields(), op.json());
    }

    /** Applies, as backup, ops its owner wrote, and takes the owner's versions. */
    void applyReplica(String collection, List<Op> ops, Map<Integer, Long> versions) {
        Collection c = collection(collection);
        Replicas r = replicas(collection);
        List<Integer> parts = new ArrayList<>();
        try {
            for (int p : new java.util.TreeSet<>(versions.keySet())) {
                r.lock(p, lockWait()); // busy: UNAVAILABLE, and the owner reports the write to be retried
                parts.add(p);
            }
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) all.add(i);
            Outcome[] out = new Outcome[ops.size()];
            apply(c, ops, all, out);
            for (Outcome o : out) {
                if (o.kind() == Kind.REJECTED) throw new IllegalStateException("a backup refused a write its owner accepted: " + o.message());
            }
            for (var v : versions.entrySet()) r.set(v.getKey(), v.getValue(), r.ready(v.getKey()));
            r.persist();
        } finally {
            for (int p : parts) r.locks[p].unlock();
        }
    }

    Holdings holdings(String collection) {
        Replicas r = replicas(collection);
        String[] synced = new String[fabric.partitionCount()];
        for (int p = 0; p < synced.length; p++) synced[p] = r.syncedBackup(p);
        return new Holdings(r.versions(), r.readiness(), synced);
    }

    byte[] getAsOwner(String collection, String id) {
        Replicas r = replicas(collection);
        int p = fabric.partitionOf(id);
        if (!ownsReady(r, p)) throw new StrataException(ErrorCode.UNAVAILABLE, "partition " + p + " is moving to another member; retry");
        return collection(collection).getJson(id);
    }

    /** The cluster's collections as this member knows them. */
    CollectionCatalog catalog() { return catalog; }

    /** Applies a create or drop made on another member (or this member's drop); true when it changed something here. */
    boolean applyCatalog(CollectionCatalog.Entry e) {
        return catalog.apply(e, () -> {
            Replicas r = replicas.remove(e.name());
            if (r != null) r.delete();
            answered.remove(e.name());
        });
    }

    public void close() {
        reconciler.close();
        writes.close();
        shipping.close();
    }
}
