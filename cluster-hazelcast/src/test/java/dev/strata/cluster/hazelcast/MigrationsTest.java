package dev.strata.cluster.hazelcast;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.partition.MigrationStateImpl;
import dev.strata.node.cluster.ClusterSettings;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The migration events as Hazelcast can deliver them, fed to {@link Migrations} on real members:
 * in order, the end before the start, a later process's end only, and a start whose master then
 * leaves without ever sending the end. None of them leaves the member thinking a migration runs.
 */
class MigrationsTest {
    private final List<HazelcastInstance> instances = new ArrayList<>();

    @AfterEach
    void stop() { instances.forEach(HazelcastInstance::shutdown); }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) { return s.getLocalPort(); }
    }

    private static MigrationStateImpl process(long start) { return new MigrationStateImpl(start, 4, 0, 0); }

    @Test
    void noOrderOrLossOfEventsLeavesAMigrationRunning() throws Exception {
        List<Integer> ports = List.of(freePort(), freePort());
        for (int port : ports) {
            instances.add(Hazelcast.newHazelcastInstance(HazelcastConfig.of(
                    ClusterSettings.loopback("migrations-" + ports.get(0), port, ports).withPartitions(7).withQuorum(1))));
        }
        HazelcastInstance master = instances.get(0);
        HazelcastInstance other = instances.get(1);
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (other.getCluster().getMembers().size() < 2) {
            assertThat(System.nanoTime()).as("the two members meet").isLessThan(until);
            Thread.sleep(100);
        }
        AtomicInteger changes = new AtomicInteger();
        Migrations m = new Migrations(other.getCluster(), changes::incrementAndGet);
        assertThat(m.running()).isFalse();

        m.migrationStarted(process(100));
        assertThat(m.running()).isTrue();
        m.migrationFinished(process(100));
        assertThat(m.running()).isFalse();
        assertThat(changes.get()).as("an end is a change").isEqualTo(1);

        m.migrationFinished(process(200));
        m.migrationStarted(process(200));
        assertThat(m.running()).as("the end arrived before the start").isFalse();

        m.migrationStarted(process(300));
        m.migrationFinished(process(400));
        assertThat(m.running()).as("a later process ended, so the earlier one did").isFalse();

        m.migrationStarted(process(500));
        assertThat(m.running()).isTrue();
        master.shutdown();
        instances.remove(master);
        while (other.getCluster().getMembers().size() > 1) {
            assertThat(System.nanoTime()).as("the master leaves").isLessThan(until);
            Thread.sleep(100);
        }
        assertThat(m.running()).as("its master left without sending the end").isFalse();
    }
}
