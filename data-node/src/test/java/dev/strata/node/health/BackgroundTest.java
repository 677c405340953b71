package dev.strata.node.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Background tasks survive whatever a run throws, say so on the node's health, and recover. */
class BackgroundTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final NodeHealth health = new NodeHealth();

    @AfterEach
    void stop() { scheduler.shutdownNow(); }

    /** Polls with a long ceiling: a slow machine makes this slower, never red. */
    static void await(String what, BooleanSupplier done) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > until) throw new AssertionError("waited 5 minutes for " + what);
            Thread.sleep(5);
        }
    }

    @Test
    void aFailingRunIsReportedRetriedAndClearedWhenItWorksAgainWhileOtherTargetsGoOn() throws Exception {
        AtomicInteger runsOfA = new AtomicInteger();
        AtomicInteger runsOfB = new AtomicInteger();
        new Background(scheduler, health, new FatalErrors(false, health)).every("refresh", Duration.ofMillis(10), () -> List.of("a", "b"),
                t -> "collection:" + t, t -> {
                    if (t.equals("b")) {
                        runsOfB.incrementAndGet();
                        return;
                    }
                    if (runsOfA.incrementAndGet() <= 3) throw new IllegalStateException("disk said no #" + runsOfA.get());
                });
        await("the third failure", () -> health.problems().stream().anyMatch(p -> p.failures() == 3));
        NodeHealth.Problem p = health.problems().get(0);
        assertThat(p.component()).isEqualTo("collection:a");
        assertThat(p.task()).isEqualTo("refresh");
        assertThat(p.reason()).isEqualTo("disk said no #3");
        assertThat(health.healthy()).isFalse();
        await("recovery", health::healthy);
        assertThat(runsOfA.get()).isGreaterThan(3);
        assertThat(runsOfB.get()).as("the other target kept running throughout").isGreaterThan(runsOfA.get());
    }

    @Test
    void anOutOfMemoryErrorGoesToTheFatalPolicyAndAnEmbeddedNodeReportsItselfFailed() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        new Background(scheduler, health, new FatalErrors(false, health)).every("merge", Duration.ofMillis(10), () -> List.of("a"),
                t -> "collection:" + t, t -> {
                    if (runs.incrementAndGet() == 1) throw new OutOfMemoryError("Java heap space");
                });
        await("the fatal report", () -> health.fatalReason() != null);
        assertThat(health.fatalReason()).contains("java.lang.OutOfMemoryError: Java heap space in merge of collection:a");
        assertThat(health.healthy()).isFalse();
        await("later runs", () -> runs.get() > 2);
    }
}
