package dev.strata.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalFabricTest {
    @Test
    void aSingleNodeIsOneMemberOwningEveryPartitionAndRunsTasksInPlace() {
        try (LocalFabric f = new LocalFabric(7)) {
            assertThat(f.members()).containsExactly(f.localMember());
            assertThat(f.ownedPartitions()).containsExactly(0, 1, 2, 3, 4, 5, 6);
            assertThat(f.partitionOf("doc-1")).isEqualTo(f.partitionOf("doc-1")).isBetween(0, 6);
            assertThat(f.owner(3)).contains(f.localMember());
            assertThatThrownBy(() -> f.owner(7)).hasMessageContaining("no partition 7");
            assertThat(f.backup(3)).as("one member: no backup").isEmpty();
            f.register(Integer.class, 42);
            assertThat(f.runOnMembers(ctx -> ctx.service(Integer.class) + ctx.ownedPartitions().size())).containsValue(49);
            assertThatThrownBy(() -> f.runOnMembers(ctx -> { throw new java.io.IOException("disk"); }))
                    .hasMessageContaining("the task failed on local: disk");
            Integer doubled = f.runOn(f.localMember(), ctx -> ctx.service(Integer.class) * 2);
            assertThat(doubled).isEqualTo(84);
            assertThatThrownBy(() -> f.runOn(new ClusterMember("elsewhere", "x:1", false), ctx -> 1)).hasMessageContaining("no member elsewhere");
        }
    }

    @Test
    void anUninstalledFabricIsNamed() {
        assertThatThrownBy(() -> ClusterFabricFactory.named("zookeeper")).hasMessageContaining("no cluster fabric 'zookeeper' is installed");
    }
}
