package dev.strata.node.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.core.ErrorCode;
import dev.strata.core.StrataException;
import dev.strata.core.value.Json;
import dev.strata.core.value.Value;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writers wait while the unsealed documents pass the buffer limit, go on after a refresh, and get 429 after the wait. */
class BackPressureTest {
    @TempDir Path dir;

    private static Value.ObjectValue doc(String json) { return (Value.ObjectValue) Json.parse(json); }

    private static Collection.Options limit(long bytes, Duration wait) {
        Collection.Options d = Collection.Options.DEFAULT;
        return new Collection.Options(d.durability(), d.checkpointBytes(), d.mergeFactor(), d.maxFields(), bytes, wait);
    }

    @Test
    void aWriterPastTheBufferLimitWaitsForARefreshAndIsRefusedAfterTheWait() throws Exception {
        try (Collection c = Collection.create(dir.resolve("c"), "c", Mappings.NONE, limit(64, Duration.ofMillis(300)))) {
            c.put("a", doc("{\"pad\":\"" + "x".repeat(100) + "\"}")); // the buffer was empty: accepted, and now over the limit
            assertThatThrownBy(() -> c.put("b", doc("{\"v\":1}")))
                    .isInstanceOf(StrataException.class)
                    .satisfies(e -> assertThat(((StrataException) e).code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
                    .hasMessageContaining("waiting to be sealed into a segment");
            assertThat(c.get("b")).as("a refused write is not written").isNull();
            c.refresh();
            c.put("b", doc("{\"v\":1}"));
            assertThat(c.get("b")).isEqualTo(doc("{\"v\":1}"));
        }
    }

    @Test
    void aWaitingWriterGoesOnOnceARefreshSealsTheBuffer() throws Exception {
        try (Collection c = Collection.create(dir.resolve("c"), "c", Mappings.NONE, limit(64, Duration.ofMinutes(10)))) {
            c.put("a", doc("{\"pad\":\"" + "x".repeat(100) + "\"}"));
            CompletableFuture<Collection.Written> waiting = CompletableFuture.supplyAsync(() -> c.put("b", doc("{\"v\":2}")));
            // it cannot finish before the refresh below: the buffer stays over the limit until then
            assertThat(waiting).isNotDone();
            c.refresh();
            assertThat(waiting.get(5, TimeUnit.MINUTES).created()).isTrue();
            assertThat(c.get("b")).isEqualTo(doc("{\"v\":2}"));
        }
    }
}
