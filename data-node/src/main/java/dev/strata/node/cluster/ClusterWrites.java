package dev.strata.node.cluster;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.node.cluster.ReplicaTasks.Kind;
import dev.strata.node.cluster.ReplicaTasks.Op;
import dev.strata.node.cluster.ReplicaTasks.Outcome;
import dev.strata.node.storage.Collection;
import dev.strata.node.storage.Mappings;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes as the member that received them sends them on: each document to its partition's owner
 * (one message per owner, side by side), again to the new owner while a partition moves or a
 * member has just left, for at most the cluster's retry period. A document is reported written
 * only when its owner and backup both have it on disk; one that could not be placed in time is
 * reported UNAVAILABLE (retry it), never silently dropped.
 */
public final class ClusterWrites implements AutoCloseable {
    private final PartitionedStore store;
    private final ClusterFabric fabric;
    private final String idPrefix;
    private final AtomicLong idCounter = new AtomicLong();
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "strata-route");
        t.setDaemon(true);
        return t;
    });

    public ClusterWrites(PartitionedStore store) {
        this.store = store;
        this.fabric = store.fabric();
        byte[] r = new byte[6];
        new SecureRandom().nextBytes(r);
        this.idPrefix = HexFormat.of().formatHex(r) + "-";
    }

    /** Writes documents (an id is generated for those without one); refused or unplaceable ones are reported by position. */
    public Collection.Bulk bulk(String collection, List<Collection.Document> docs) {
        store.collection(collection); // NOT_FOUND before any work
        List<Op> ops = new ArrayList<>(docs.size());
        for (Collection.Document d : docs) {
            String id = d.id() != null ? d.id() : idPrefix + Long.toString(idCounter.incrementAndGet(), 36);
            byte[] json = d.json() != null ? d.json() : Json.write(d.source()).getBytes(StandardCharsets.UTF_8);
            ops.add(new Op(id, json));
        }
        Outcome[] out = route(collection, ops);
        List<Collection.Written> written = new ArrayList<>();
        List<Collection.Rejected> rejected = new ArrayList<>();
        int rejectedCount = 0;
        for (int i = 0; i < out.length; i++) {
            if (out[i].kind() == Kind.WRITTEN) {
                written.add(new Collection.Written(ops.get(i).id(), out[i].flag()));
            } else {
                rejectedCount++;
                if (rejected.size() < Collection.MAX_REJECTED_SHOWN) rejected.add(new Collection.Rejected(i, new StrataException(out[i].code(), out[i].message())));
            }
        }
        return new Collection.Bulk(written, rejected, rejectedCount);
    }

    /** Deletes a document on its owner and backup; false if there was none. */
    public boolean delete(String collection, String id) {
        store.collection(collection);
        Outcome o = route(collection, List.of(new Op(id, null)))[0];
        if (o.kind() != Kind.DELETED) throw new StrataException(o.code(), o.message());
        return o.flag();
    }

    /** A document's stored text from its partition's owner, or null. */
    public byte[] getJson(String collection, String id) {
        store.collection(collection);
        long deadline = System.nanoTime() + store.settings().retryFor().toNanos();
        for (int round = 0; ; round++) {
            Optional<ClusterMember> owner = fabric.owner(fabric.partitionOf(id));
            try {
                if (owner.isPresent()) return fabric.runOn(owner.get(), new ReplicaTasks.Get(collection, id));
            } catch (StrataException e) {
                if (e.code() != ErrorCode.UNAVAILABLE || System.nanoTime() > deadline) throw e;
            }
            if (System.nanoTime() > deadline) throw new StrataException(ErrorCode.UNAVAILABLE, "the partition of '" + id + "' has no owner now; retry");
            pause(round);
        }
    }

    /** Creates a collection on every member (each member that joins later gets it before it serves). */
    public void create(String collection, Mappings mappings, int maxFields) {
        fabric.runOnMembers(new ReplicaTasks.Catalog(store.catalog().create(collection, mappings, maxFields)));
    }

    /** Makes every write acknowledged so far visible to queries, on every member. */
    public void refresh(String collection) {
        store.collection(collection);
        fabric.runOnMembers(new ReplicaTasks.Refresh(collection));
    }

    /** Drops a collection on every member; a member away now drops it when it comes back. */
    public void drop(String collection) {
        store.collection(collection);
        fabric.runOnMembers(new ReplicaTasks.Catalog(store.catalog().next(collection, null, 0)));
    }

    private Outcome[] route(String collection, List<Op> ops) {
        Outcome[] out = new Outcome[ops.size()];
        long deadline = System.nanoTime() + store.settings().retryFor().toNanos();
        for (int round = 0; ; round++) {
            Map<String, List<Integer>> byOwner = new LinkedHashMap<>();
            Map<String, ClusterMember> members = new LinkedHashMap<>();
            for (int i = 0; i < ops.size(); i++) {
                if (out[i] != null && out[i].kind() != Kind.RETRY) continue;
                Optional<ClusterMember> owner = fabric.owner(fabric.partitionOf(ops.get(i).id()));
                if (owner.isEmpty()) {
                    out[i] = Outcome.retry("partition " + fabric.partitionOf(ops.get(i).id()) + " has no owner now; retry");
                    continue;
                }
                members.put(owner.get().id(), owner.get());
                byOwner.computeIfAbsent(owner.get().id(), k -> new ArrayList<>()).add(i);
            }
            Map<String, Future<Outcome[]>> sent = new LinkedHashMap<>();
            for (var e : byOwner.entrySet()) {
                List<Op> part = new ArrayList<>();
                for (int i : e.getValue()) part.add(ops.get(i));
                ClusterMember m = members.get(e.getKey());
                sent.put(e.getKey(), pool.submit(() -> fabric.runOn(m, new ReplicaTasks.OwnerWrite(collection, part))));
            }
            boolean again = false;
            for (var e : sent.entrySet()) {
                List<Integer> at = byOwner.get(e.getKey());
                Outcome[] got = outcomes(e.getValue(), at.size(), members.get(e.getKey()));
                for (int k = 0; k < at.size(); k++) out[at.get(k)] = got[k];
            }
            for (Outcome o : out) again |= o.kind() == Kind.RETRY;
            if (!again || System.nanoTime() > deadline) return out;
            pause(round);
        }
    }

    private static Outcome[] outcomes(Future<Outcome[]> f, int n, ClusterMember m) {
        Outcome failed;
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failed = Outcome.retry("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof StrataException se && se.code() != ErrorCode.UNAVAILABLE) {
                failed = new Outcome(Kind.REJECTED, false, se.code(), se.getMessage());
            } else {
                failed = Outcome.retry("owner " + m.address() + " did not answer (" + e.getCause().getMessage() + "); retry");
            }
        }
        Outcome[] all = new Outcome[n];
        java.util.Arrays.fill(all, failed);
        return all;
    }

    private static void pause(int round) {
        try {
            Thread.sleep(Math.min(500, 20L << Math.min(round, 5)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StrataException(ErrorCode.UNAVAILABLE, "interrupted while retrying");
        }
    }

    @Override
    public void close() { pool.shutdownNow(); }
}
