package dev.strata.node.cluster;

import dev.strata.node.cluster.ReplicaTasks.Holdings;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings what this member holds in line with the partition table, after every change and every
 * second: it takes on collections other members have; as the owner of a partition without a
 * ready copy, it declares its own copy ready when it is the newest any member holds, or fetches
 * the newest; as an owner, it sends its backup a full copy when the backup changed; and it drops
 * partitions it neither owns nor backs up once their owner and backup hold them. It works only
 * on a side of the cluster with quorum and while no migration runs.
 *
 * <p>A partition no present member holds is declared new and empty. That is right only when at
 * least one holder of every partition is present, which is what the quorum is for: with one
 * backup, a majority of the members always includes a holder of each partition, so a member that
 * starts first after a whole-cluster restart waits for a majority before it takes anything on.
 */
final class Reconciler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private final PartitionedStore store;
    private final ClusterFabric fabric;
    private final Thread thread;
    private final Object signal = new Object();
    private volatile boolean dirty = true;
    private volatile boolean closed;
    private volatile boolean inLine;
    private final java.util.concurrent.atomic.AtomicLong changes = new java.util.concurrent.atomic.AtomicLong();

    Reconciler(PartitionedStore store) {
        this.store = store;
        this.fabric = store.fabric();
        this.thread = new Thread(this::loop, "strata-reconcile");
        this.thread.setDaemon(true);
        fabric.onChange(this::changed);
    }

    void start() { thread.start(); }

    /** True when, at the last pass, every partition this member owns had a ready copy and every backup was synced. */
    boolean inLine() { return inLine; }

    private void changed() {
        changes.incrementAndGet();
        inLine = false; // until a pass that started after this change has found nothing left to do
        store.forgetOutsideRoles();
        dirty = true;
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void loop() {
        while (!closed) {
            var health = store.node().health();
            try {
                if (!fabric.hasQuorum()) {
                    health.failed("cluster", "quorum", new IllegalStateException("this member sees " + fabric.members().size()
                            + " member(s), fewer than the quorum of " + store.settings().quorum() + ": it refuses writes and moves no partitions"));
                } else {
                    health.succeeded("cluster", "quorum");
                    if (fabric.settled()) {
                        dirty = false;
                        long before = changes.get();
                        inLine = pass() && changes.get() == before;
                        if (!inLine) dirty = true;
                        health.succeeded("cluster", "partitions");
                    }
                }
            } catch (RuntimeException e) {
                inLine = false;
                dirty = true;
                if (!closed) {
                    if (e instanceof dev.strata.core.StrataException se && se.code() == dev.strata.core.ErrorCode.UNAVAILABLE) {
                        LOG.info("reconciling partitions waits: {}", se.getMessage()); // a member starting or leaving: expected, retried
                    } else {
                        LOG.warn("reconciling partitions failed; retrying", e);
                    }
                    health.failed("cluster", "partitions", e); // cleared by the next pass that succeeds
                }
            }
            synchronized (signal) {
                try {
                    signal.wait(dirty ? 200 : 1000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** One pass over every collection; true when nothing was left to do. */
    boolean pass() {
        boolean done = store.udfs().takeNewer() && takeCatalog();
        for (String c : store.node().collectionNames()) done &= pass(c);
        return done;
    }

    /** Takes the newest create or drop of each collection any member knows. */
    private boolean takeCatalog() {
        var newest = CollectionCatalog.newest(fabric.runOnMembers(new ReplicaTasks.ListCatalog()).values());
        for (CollectionCatalog.Entry e : newest.values()) {
            if (store.applyCatalog(e)) LOG.info("took collection {} from the cluster: {}", e.name(), e.live() ? "created" : "dropped");
        }
        store.catalogTaken();
        return true;
    }

    private boolean pass(String collection) {
        Map<ClusterMember, Holdings> holdings = fabric.runOnMembers(new ReplicaTasks.Holds(collection));
        String me = fabric.localMember().id();
        Replicas r = store.replicas(collection);
        boolean done = true;
        for (int p = 0; p < fabric.partitionCount(); p++) {
            Optional<ClusterMember> owner = fabric.owner(p);
            Optional<ClusterMember> backup = fabric.backup(p);
            if (owner.isEmpty()) {
                done = false;
                continue;
            }
            if (owner.get().id().equals(me)) {
                if (!r.ready(p)) done &= takeOwnership(collection, p, holdings);
                if (r.ready(p) && store.copies().pushBackup(collection, p) != null) done = false;
            } else if (!(backup.isPresent() && backup.get().id().equals(me)) && r.version(p) != 0) {
                Holdings oh = holdingsOf(holdings, owner.get());
                boolean ownerHasIt = oh != null && oh.ready()[p];
                boolean backupHasIt = store.settings().backups() == 0 || backup.isEmpty()
                        || (oh != null && backup.get().id().equals(oh.syncedBackup()[p]));
                if (ownerHasIt && backupHasIt) store.copies().drop(collection, p);
                else done = false;
            }
        }
        return done;
    }

    private static Holdings holdingsOf(Map<ClusterMember, Holdings> holdings, ClusterMember m) {
        for (var e : holdings.entrySet()) if (e.getKey().id().equals(m.id())) return e.getValue();
        return null;
    }

    /** As the new owner of {@code p}: its own copy when newest, else the newest from another member. True when ready after. */
    private boolean takeOwnership(String collection, int p, Map<ClusterMember, Holdings> holdings) {
        String me = fabric.localMember().id();
        ClusterMember best = null;
        long bestVersion = 0;
        for (var e : holdings.entrySet()) {
            long v = e.getValue().versions()[p];
            if (v > bestVersion || (v == bestVersion && v != 0 && e.getKey().id().equals(me))) {
                best = e.getKey();
                bestVersion = v;
            }
        }
        if (best == null || best.id().equals(me)) {
            store.copies().declareReady(collection, p);
        } else {
            store.copies().install(collection, p, fabric.runOn(best, new ReplicaTasks.Fetch(collection, p)));
            LOG.info("took partition {} of {} from {}", p, collection, best.address());
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
