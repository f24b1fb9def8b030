package io.tradeanomaly.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.s3.NdjsonStore;
import io.tradeanomaly.common.s3.S3NdjsonStore;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * An archiver that dies after S3 accepted an object but before it checkpointed: the worker that takes over replays
 * from the last checkpoint and rebuilds the very same object under the very same key, so the archive holds every
 * anomaly exactly once.
 */
@ExtendWith(LocalAwsExtension.class)
class ArchiverCrashIT {

    private static final PartitionSettings SMALL_OBJECTS = new PartitionSettings(1 << 20, 50, Duration.ofSeconds(2));

    @Test
    void aCrashBetweenWriteAndCheckpointLeavesNoDuplicateAndNoGap(LocalAwsStack stack, LocalAwsNamespace names)
            throws Exception {
        List<Anomaly> sent = ArchiverITSupport.anomalies(300);
        ArchiverITSupport.put(stack, names.anomaliesStream(), ArchiverITSupport.entries(sent));
        NdjsonStore s3 = new S3NdjsonStore(stack.s3(), names.bucket());

        // Worker A writes its first object, then "dies": it never returns to checkpoint.
        AtomicReference<String> writtenBeforeCrash = new AtomicReference<>();
        CountDownLatch crashed = new CountDownLatch(1);
        CountDownLatch released = new CountDownLatch(1);
        NdjsonStore dying = new ArchiverITSupport.DelegatingStore(s3) {
            @Override
            public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
                Outcome outcome = super.write(key, lines, gzip, identity);
                if (writtenBeforeCrash.compareAndSet(null, key)) {
                    crashed.countDown();
                    waitFor(released);
                    throw new Error("worker A is dead");
                }
                return outcome;
            }
        };
        KclConsumer a = consumer(stack, names, dying, "worker-a");
        a.start();
        try {
            await().atMost(Duration.ofSeconds(120)).until(() -> crashed.getCount() == 0);
            String crashedObject = writtenBeforeCrash.get();
            Map<String, List<JsonNode>> before = ArchiverITSupport.archive(stack, names.bucket(), "");
            assertThat(before).containsOnlyKeys(crashedObject);
            a.abort();

            // Worker B takes the expired lease and replays from the last checkpoint (none yet).
            KclConsumer b = consumer(stack, names, s3, "worker-b");
            b.start();
            try {
                await().atMost(Duration.ofSeconds(120))
                        .untilAsserted(() -> assertThat(
                                        ArchiverITSupport.idCounts(ArchiverITSupport.archive(stack, names.bucket(), ""))
                                                .keySet())
                                .containsAll(
                                        sent.stream().map(TradeAnomalies::id).collect(Collectors.toSet())));
                Map<String, List<JsonNode>> after = ArchiverITSupport.archive(stack, names.bucket(), "");
                assertThat(ArchiverITSupport.idCounts(after).values()).allMatch(count -> count == 1);
                assertThat(after).containsKey(crashedObject);
                assertThat(after.size())
                        .as("6 objects of 50, 7 if the put straddled a minute")
                        .isBetween(6, 7);
                assertThat(after.get(crashedObject)).isEqualTo(before.get(crashedObject));
            } finally {
                b.stop();
            }
        } finally {
            released.countDown();
            a.abort();
        }
    }

    private static KclConsumer consumer(
            LocalAwsStack stack, LocalAwsNamespace names, NdjsonStore store, String worker) {
        return ArchiverITSupport.consumer(
                stack, names, store, worker, SMALL_OBJECTS, Duration.ofMinutes(10), 10_000, "");
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
