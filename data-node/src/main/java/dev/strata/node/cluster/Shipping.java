package dev.strata.node.cluster;

import dev.strata.node.cluster.ReplicaTasks.Kind;
import dev.strata.node.cluster.ReplicaTasks.Op;
import dev.strata.node.cluster.ReplicaTasks.Outcome;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * An owner's writes on their way to the backups: one message per backup member, sent side by side,
 * each answered only after the backup's fsync. An op whose backup did not answer is reported to
 * be retried (it is durable on the owner, but not acknowledged), and the partition's backup is
 * marked unsynced, so the next write first sends it a full copy.
 */
final class Shipping implements AutoCloseable {
    private final ClusterFabric fabric;
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "strata-replicate");
        t.setDaemon(true);
        return t;
    });

    Shipping(ClusterFabric fabric) { this.fabric = fabric; }

    private record Batch(ClusterMember member, List<Integer> at, List<Op> ops, Map<Integer, Long> versions) {}

    void toBackups(String collection, Replicas r, List<Op> ops, int[] partition, List<Integer> todo, Outcome[] out, Map<Integer, Long> versions) {
        Map<String, Batch> batches = new LinkedHashMap<>();
        for (int i : todo) {
            if (out[i].kind() == Kind.REJECTED) continue;
            int p = partition[i];
            Optional<ClusterMember> b = fabric.backup(p);
            if (b.isEmpty()) continue; // a cluster of one member: the owner's fsync is all there is
            Batch batch = batches.computeIfAbsent(b.get().id(), k -> new Batch(b.get(), new ArrayList<>(), new ArrayList<>(), new HashMap<>()));
            batch.at().add(i);
            batch.ops().add(ops.get(i));
            batch.versions().put(p, versions.get(p));
        }
        Map<Batch, Future<Boolean>> sent = new LinkedHashMap<>();
        for (Batch b : batches.values()) {
            sent.put(b, pool.submit(() -> fabric.runOn(b.member(), new ReplicaTasks.ReplicaWrite(collection, b.ops(), b.versions()))));
        }
        for (var e : sent.entrySet()) {
            String failure = null;
            try {
                e.getValue().get();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                failure = "interrupted";
            } catch (ExecutionException ex) {
                failure = ex.getCause().getMessage();
            }
            if (failure == null) continue;
            Batch b = e.getKey();
            for (int p : b.versions().keySet()) r.syncedBackup(p, null);
            for (int i : b.at()) out[i] = Outcome.retry("written on the owner but not on backup " + b.member().address() + " (" + failure + "); retry");
        }
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
