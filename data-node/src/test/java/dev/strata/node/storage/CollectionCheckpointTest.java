package dev.strata.node.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionCheckpointTest {
    @TempDir Path dir;

    private static Value.ObjectValue doc(String json) { return (Value.ObjectValue) Json.parse(json); }

    private List<String> files(Path c) throws Exception {
        try (var f = Files.list(c)) {
            return f.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".log")).sorted().toList();
        }
    }

    @Test
    void aCheckpointReplacesTheLogsItCoversAndRestartSeesEveryWriteBeforeAndAfterIt() throws Exception {
        Path c = dir.resolve("c");
        try (Collection col = Collection.create(c, "c", Mappings.NONE, Collection.Options.DEFAULT)) {
            col.put("a", doc("{\"v\":1}"));
            col.put("b", doc("{\"v\":2}"));
            col.refresh();
            col.put("c", doc("{\"v\":3}")); // still in the buffer at checkpoint time
            assertThat(col.checkpoint(1)).isTrue();
            assertThat(files(c)).containsExactly("checkpoint-00000001.log", "wal-00000002.log");
            col.delete("a");
            col.put("b", doc("{\"v\":20}"));
            assertThat(col.checkpoint(Long.MAX_VALUE)).as("below the size threshold").isFalse();
        }
        try (Collection col = Collection.open(c, Collection.Options.DEFAULT)) {
            assertThat(col.get("a")).isNull();
            assertThat(col.get("b")).isEqualTo(doc("{\"v\":20}"));
            assertThat(col.get("c")).isEqualTo(doc("{\"v\":3}"));
            assertThat(col.snapshot().liveCount()).isEqualTo(2);
            assertThat(col.checkpoint(1)).isTrue();
            assertThat(files(c)).containsExactly("checkpoint-00000002.log", "wal-00000003.log");
        }
        try (Collection col = Collection.open(c, Collection.Options.DEFAULT)) {
            assertThat(col.snapshot().liveCount()).isEqualTo(2);
            assertThat(col.get("b")).isEqualTo(doc("{\"v\":20}"));
        }
    }
}
