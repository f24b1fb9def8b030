package io.tradeanomaly.common.kcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseCoordinator;

/** Readiness is "started and able to take work", not "holds a lease" (what a rolling update needs). */
class KclConsumerTest {

    @Test
    void aWorkerIsReadyOnceItCanTakeWorkWhileAnotherStillHoldsEveryLease() throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        LeaseCoordinator leases = mock(LeaseCoordinator.class);
        when(leases.isRunning()).thenReturn(true);
        when(leases.getAssignments()).thenReturn(List.of()); // the old replica holds them all
        Scheduler scheduler = mock(Scheduler.class);
        when(scheduler.leaseCoordinator()).thenReturn(leases);
        doAnswer(invocation -> {
                    stopped.await();
                    return null;
                })
                .when(scheduler)
                .run();
        doAnswer(invocation -> {
                    stopped.countDown();
                    return null;
                })
                .when(scheduler)
                .shutdown();
        KclConsumer consumer = new KclConsumer(
                "app", "stream", "worker-2", () -> {}, () -> scheduler, () -> {}, Duration.ofSeconds(1));
        assertThat(consumer.health().getStatus()).isEqualTo(Status.DOWN);

        consumer.start();
        try {
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> consumer.health().getStatus().equals(Status.UP));
            assertThat(consumer.health().getDetails()).containsEntry("shards", List.of());
        } finally {
            consumer.abort();
        }
    }
}
