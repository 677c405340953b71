package dev.strata.cluster.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import dev.strata.node.cluster.ClusterSettings;

/** Strata's settings as a Hazelcast {@link Config}: explicit loopback or seed joining, nothing discovered, nothing sent home. */
final class HazelcastConfig {
    private HazelcastConfig() {}

    static final String EXECUTOR = "strata-tasks";
    /** Tasks that never call other members (replica writes, copies): their own threads, so a waiting task never starves them. */
    static final String LEAF_EXECUTOR = "strata-leaf-tasks";

    static Config of(ClusterSettings s) {
        Config c = new Config();
        c.setClusterName(s.clusterName());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.partition.count", Integer.toString(s.partitions()));
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.shutdownhook.enabled", "false"); // the node closes its fabric itself, after its own work
        c.setProperty("hazelcast.socket.bind.any", "false");
        // a member that stops answering is declared gone after 10 s of silence (Hazelcast's default is 60 s),
        // so its partitions' backups take over while clients are still retrying, not a minute later
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        // after a member is gone, assign new backups after 1 s (Hazelcast waits 5 s by default): until then
        // writes to the partitions it backed up wait, since a write is acknowledged only with a backup
        c.setProperty("hazelcast.migration.min.delay.on.member.removed.seconds", "1");
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(s.port()).setPortAutoIncrement(s.portAutoIncrement()).setPortCount(s.portAutoIncrement() ? 100 : 1);
        net.getInterfaces().setEnabled(true).addInterface(s.host());
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(s.seeds().isEmpty() ? java.util.List.of(s.host() + ":" + s.port()) : s.seeds());
        // tasks are handed to Strata's own executor at once; these threads only wait for them
        c.getExecutorConfig(EXECUTOR).setPoolSize(16).setStatisticsEnabled(false);
        c.getExecutorConfig(LEAF_EXECUTOR).setPoolSize(16).setStatisticsEnabled(false);
        return c;
    }
}
