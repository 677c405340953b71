package dev.strata.cluster.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.partition.Partition;
import dev.strata.node.cluster.ClusterFabric;
import dev.strata.node.cluster.ClusterMember;
import dev.strata.node.cluster.ClusterSettings;
import dev.strata.node.cluster.ClusterTask;
import dev.strata.node.cluster.MemberContext;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A {@link ClusterFabric} on an embedded Hazelcast member. Partitions are Hazelcast's (its
 * partitioner decides a document id's partition, the same on every member); tasks go to members
 * through Hazelcast's executor and run there on a fixed Strata-owned pool.
 */
final class HazelcastFabric implements ClusterFabric {
    private static final String SELF = "strata.fabric";

    private final HazelcastInstance hz;
    private final int partitions;
    private final int quorum;
    private final java.time.Duration callCeiling;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    private final ExecutorService work;
    private final ExecutorService leafWork;
    private final com.hazelcast.internal.partition.InternalPartitionService table;
    private final Migrations migrations;

    private HazelcastFabric(HazelcastInstance hz, ClusterSettings settings) {
        this.hz = hz;
        this.partitions = settings.partitions();
        this.quorum = settings.quorum();
        // a safety net, far above any retry: a member that neither answers nor leaves is reported, never waited on forever
        this.callCeiling = settings.retryFor().multipliedBy(10);
        this.work = pool("strata-cluster-task", Math.max(2, Runtime.getRuntime().availableProcessors()));
        this.leafWork = pool("strata-cluster-leaf", Math.max(4, Runtime.getRuntime().availableProcessors()));
        // the public PartitionService names owners only; the backup replica (the member Hazelcast promotes)
        // is read from the member's own partition table, the one place Strata reaches into Hazelcast's internals
        this.migrations = new Migrations(hz.getCluster(), this::changed);
        this.table = ((com.hazelcast.instance.impl.HazelcastInstanceProxy) hz).getOriginal().node.getPartitionService();
    }

    private static ExecutorService pool(String name, int threads) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    static HazelcastFabric start(ClusterSettings settings) {
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(HazelcastConfig.of(settings));
        HazelcastFabric f = new HazelcastFabric(hz, settings);
        hz.getUserContext().put(SELF, f);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) { f.changed(); }

            @Override
            public void memberRemoved(MembershipEvent e) { f.changed(); }
        });
        // Hazelcast assigns partitions on first use; ask now, so a fresh cluster owns them before any request
        for (Partition p : hz.getPartitionService().getPartitions()) p.getOwner();
        hz.getPartitionService().addMigrationListener(f.migrations);
        return f;
    }

    private void changed() {
        for (Runnable l : listeners) {
            try {
                l.run();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(HazelcastFabric.class).warn("a cluster change listener failed", e);
            }
        }
    }

    private static ClusterMember member(Member m) {
        return new ClusterMember(m.getUuid().toString(), m.getAddress().getHost() + ":" + m.getAddress().getPort(), m.localMember());
    }

    @Override
    public ClusterMember localMember() { return member(hz.getCluster().getLocalMember()); }

    @Override
    public List<ClusterMember> members() {
        List<ClusterMember> out = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) out.add(member(m));
        return out;
    }

    @Override
    public int partitionCount() { return partitions; }

    @Override
    public int partitionOf(String documentId) { return hz.getPartitionService().getPartition(documentId).getPartitionId(); }

    @Override
    public Optional<ClusterMember> owner(int partition) { return replica(partition, 0); }

    @Override
    public Optional<ClusterMember> backup(int partition) { return replica(partition, 1); }

    private Optional<ClusterMember> replica(int partition, int index) {
        if (partition < 0 || partition >= partitions) throw new IllegalArgumentException("no partition " + partition);
        com.hazelcast.internal.partition.PartitionReplica r = table.getPartition(partition).getReplica(index);
        if (r == null) return Optional.empty();
        for (Member m : hz.getCluster().getMembers()) if (m.getUuid().equals(r.uuid())) return Optional.of(member(m));
        return Optional.empty(); // a replica on a member that has just left
    }

    @Override
    public Set<Integer> ownedPartitions() {
        Set<Integer> out = new TreeSet<>();
        Member self = hz.getCluster().getLocalMember();
        for (Partition p : hz.getPartitionService().getPartitions()) {
            if (self.equals(p.getOwner())) out.add(p.getPartitionId());
        }
        return out;
    }

    /**
     * No migration in flight and every partition has an owner. Read from the migration events and
     * the local partition table, never by asking the other members (Hazelcast's isClusterSafe does,
     * and waits out its call timeout, minutes, for a member that just died).
     */
    @Override
    public boolean settled() {
        if (migrations.running()) return false;
        for (Partition p : hz.getPartitionService().getPartitions()) if (p.getOwner() == null) return false;
        return true;
    }

    @Override
    public boolean hasQuorum() { return hz.getCluster().getMembers().size() >= quorum; }

    @Override
    public void onChange(Runnable listener) { listeners.add(listener); }

    @Override
    public <S> void register(Class<S> type, S service) { services.put(type, service); }

    @Override
    public <T extends Serializable> T runOn(ClusterMember member, ClusterTask<T> task) {
        Member target = null;
        for (Member m : hz.getCluster().getMembers()) if (m.getUuid().toString().equals(member.id())) target = m;
        if (target == null) throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.UNAVAILABLE, "member " + member.address() + " has left the cluster");
        Future<T> f = hz.getExecutorService(executor(task)).submitToMember(new Call<>(task), target);
        try {
            return f.get(callCeiling.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for member " + member.address(), ex);
        } catch (ExecutionException ex) {
            throw failure(member, ex);
        } catch (java.util.concurrent.TimeoutException ex) {
            throw silent(member);
        }
    }

    private dev.strata.core.StrataException silent(ClusterMember member) {
        return new dev.strata.core.StrataException(dev.strata.core.ErrorCode.UNAVAILABLE,
                "member " + member.address() + " did not answer within " + callCeiling.toSeconds() + " s; retry");
    }

    /** A task's failure as the caller sees it: Strata's own errors as they were thrown, a member gone as retryable UNAVAILABLE. */
    private static RuntimeException failure(ClusterMember member, ExecutionException ex) {
        Throwable cause = ex.getCause() == null ? ex : ex.getCause();
        if (cause instanceof dev.strata.core.StrataException se) return se;
        if (cause instanceof com.hazelcast.core.MemberLeftException || cause instanceof com.hazelcast.spi.exception.TargetNotMemberException
                || cause instanceof com.hazelcast.core.HazelcastInstanceNotActiveException) {
            return new dev.strata.core.StrataException(dev.strata.core.ErrorCode.UNAVAILABLE,
                    "member " + member.address() + " left the cluster during the request; retry");
        }
        return new IllegalStateException("the task failed on member " + member.address() + ": " + cause.getMessage(), cause);
    }

    private static String executor(ClusterTask<?> task) { return task.leaf() ? HazelcastConfig.LEAF_EXECUTOR : HazelcastConfig.EXECUTOR; }

    @Override
    public <T extends Serializable> Map<ClusterMember, T> runOnMembers(ClusterTask<T> task) {
        Map<Member, Future<T>> futures = hz.getExecutorService(executor(task)).submitToAllMembers(new Call<>(task));
        Map<ClusterMember, T> out = new LinkedHashMap<>();
        for (var e : futures.entrySet()) {
            try {
                out.put(member(e.getKey()), e.getValue().get(callCeiling.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for member " + e.getKey().getAddress(), ex);
            } catch (ExecutionException ex) {
                throw failure(member(e.getKey()), ex);
            } catch (java.util.concurrent.TimeoutException ex) {
                throw silent(member(e.getKey()));
            }
        }
        return out;
    }

    /** The task as Hazelcast carries it: on arrival it finds its member's fabric and runs on Strata's pool. */
    private static final class Call<T extends Serializable> implements Callable<T>, Serializable, HazelcastInstanceAware {
        private static final long serialVersionUID = 1L;
        private final ClusterTask<T> task;
        private transient HazelcastInstance instance;

        Call(ClusterTask<T> task) { this.task = task; }

        @Override
        public void setHazelcastInstance(HazelcastInstance hz) { this.instance = hz; }

        @Override
        public T call() throws Exception {
            HazelcastFabric f = (HazelcastFabric) instance.getUserContext().get(SELF);
            if (f == null) {
                // a task that reached this member while it is still joining, before its fabric is in place
                throw new dev.strata.core.StrataException(dev.strata.core.ErrorCode.UNAVAILABLE,
                        "member " + instance.getCluster().getLocalMember().getAddress() + " is still starting; retry");
            }
            MemberContext context = new MemberContext() {
                @Override
                public ClusterMember member() { return f.localMember(); }

                @Override
                public Set<Integer> ownedPartitions() { return f.ownedPartitions(); }

                @Override
                public <S> S service(Class<S> type) { return type.cast(f.services.get(type)); }
            };
            try {
                return (task.leaf() ? f.leafWork : f.work).submit(() -> task.run(context)).get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception ex) throw ex;
                throw e;
            }
        }
    }

    @Override
    public void close() {
        hz.shutdown();
        work.shutdownNow();
        leafWork.shutdownNow();
    }
}
