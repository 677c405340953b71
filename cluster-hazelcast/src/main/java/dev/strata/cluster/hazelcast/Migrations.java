package dev.strata.cluster.hazelcast;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.cluster.Member;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.ReplicaMigrationEvent;

/**
 * Whether the master is moving partitions, from Hazelcast's migration events, read locally so
 * that asking never waits on another member. The events are not a reliable pair: a process's
 * "finished" can arrive before its "started", and a master that leaves in the middle of a
 * process (it moves its own partitions away as it shuts down) never sends "finished". So a
 * process is known by its start time, a "finished" that came first cancels its "started", a
 * later process's end ends every earlier one, and a process whose master is no longer a member
 * is over (a new master plans its own, with its own events).
 */
final class Migrations implements MigrationListener {
    private final Cluster cluster;
    private final Runnable changed;
    private long open = -1; // start time of the process running now, or -1; guarded by this
    private Member openBy; // the master that started it
    private long lastFinished = -1; // start time of the latest process known to have finished

    Migrations(Cluster cluster, Runnable changed) {
        this.cluster = cluster;
        this.changed = changed;
    }

    /** True while a migration process runs whose master is still a member. */
    synchronized boolean running() {
        if (open >= 0 && !cluster.getMembers().contains(openBy)) open = -1;
        return open >= 0;
    }

    @Override
    public synchronized void migrationStarted(MigrationState state) {
        if (state.getStartTime() <= lastFinished) return; // its end arrived first
        open = state.getStartTime();
        openBy = cluster.getMembers().iterator().next(); // the oldest member is the master
    }

    @Override
    public void migrationFinished(MigrationState state) {
        synchronized (this) {
            lastFinished = Math.max(lastFinished, state.getStartTime());
            if (open <= lastFinished) open = -1;
        }
        changed.run();
    }

    @Override
    public void replicaMigrationCompleted(ReplicaMigrationEvent event) { changed.run(); }

    @Override
    public void replicaMigrationFailed(ReplicaMigrationEvent event) { changed.run(); }
}
