package dev.strata.node.cluster;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A single node as a cluster of one: it owns every partition, tasks run in place, and nothing ever
 * changes. A document's partition is the same function of its id as a real fabric may use, so
 * code written against the SPI runs unchanged on one node.
 */
public final class LocalFabric implements ClusterFabric {
    private final ClusterMember self = new ClusterMember("local", "local", true);
    private final int partitions;
    private final Set<Integer> all;
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();

    public LocalFabric(int partitions) {
        if (partitions < 1) throw new IllegalArgumentException("at least one partition");
        this.partitions = partitions;
        java.util.SortedSet<Integer> every = new java.util.TreeSet<>();
        for (int p = 0; p < partitions; p++) every.add(p);
        this.all = Collections.unmodifiableSortedSet(every);
    }

    @Override
    public ClusterMember localMember() { return self; }

    @Override
    public List<ClusterMember> members() { return List.of(self); }

    @Override
    public int partitionCount() { return partitions; }

    @Override
    public int partitionOf(String documentId) { return Math.floorMod(documentId.hashCode(), partitions); }

    @Override
    public Optional<ClusterMember> owner(int partition) {
        if (partition < 0 || partition >= partitions) throw new IllegalArgumentException("no partition " + partition);
        return Optional.of(self);
    }

    @Override
    public Optional<ClusterMember> backup(int partition) {
        if (partition < 0 || partition >= partitions) throw new IllegalArgumentException("no partition " + partition);
        return Optional.empty();
    }

    @Override
    public Set<Integer> ownedPartitions() { return all; }

    @Override
    public boolean settled() { return true; }

    @Override
    public boolean hasQuorum() { return true; }

    @Override
    public void onChange(Runnable listener) { } // a cluster of one never changes

    @Override
    public <S> void register(Class<S> type, S service) { services.put(type, service); }

    @Override
    public <T extends Serializable> T runOn(ClusterMember member, ClusterTask<T> task) {
        if (!member.id().equals(self.id())) throw new IllegalArgumentException("no member " + member.id() + " in a cluster of one");
        return runOnMembers(task).get(self);
    }

    @Override
    public <T extends Serializable> Map<ClusterMember, T> runOnMembers(ClusterTask<T> task) {
        MemberContext context = new MemberContext() {
            @Override
            public ClusterMember member() { return self; }

            @Override
            public Set<Integer> ownedPartitions() { return all; }

            @Override
            public <S> S service(Class<S> type) { return type.cast(services.get(type)); }
        };
        try {
            Map<ClusterMember, T> out = new LinkedHashMap<>();
            out.put(self, task.run(context));
            return out;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the task failed on " + self.id() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() { }
}
