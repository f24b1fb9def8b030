package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.kcl.KclConsumerFactory;
import io.tradeanomaly.common.kcl.KclProperties;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kcl.ShardProcessorSupport;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The shared KCL support on the local stack: a consumer built by {@link KclConsumerFactory} (polling, pre-created
 * lease table, Glue Schema Registry excluded from the classpath) receives every record of a 2-shard stream and its
 * checkpoints end exactly at the last sequence number of each shard.
 */
@ExtendWith(LocalAwsExtension.class)
class KclConsumerIT {

    private final Map<String, List<String>> delivered = new ConcurrentHashMap<>();

    @Test
    void consumesEveryRecordAndCheckpointsTheLastSequenceNumberPerShard(LocalAwsStack stack, LocalAwsNamespace names) {
        Map<String, String> lastSequencePerShard = putRecords(stack, names.tradesStream(), 1000);
        assertThat(lastSequencePerShard).hasSize(2);

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KclConsumer consumer = consumer(stack, names, registry);
        consumer.start();
        try {
            // KCL waits 1-30 s (random) before its first shard sync on an empty lease table.
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(delivered.values().stream()
                                    .mapToInt(List::size)
                                    .sum())
                            .isEqualTo(1000));
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(checkpoints(stack, names.detectorApplication()))
                            .isEqualTo(lastSequencePerShard));
            assertThat(consumer.health().getStatus().getCode()).isEqualTo("UP");
            assertThat(consumer.heldShards()).containsExactlyInAnyOrderElementsOf(lastSequencePerShard.keySet());
            assertThat(registry.find(ShardLagMetrics.NAME).gauges()).hasSize(2);
        } finally {
            consumer.stop();
        }

        Set<String> unique = delivered.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        assertThat(unique).hasSize(1000);
    }

    /**
     * KCL's leader hands leases to every worker whose WorkerMetricStats entry is fresh. A stopped worker removes its
     * entry, and a running one reports every half failover time (KCL's default, 30 s, kept a crashed worker "live"
     * for a minute), so neither a stopped nor a crashed worker is given leases for longer than a failover time.
     */
    @Test
    void aWorkerReportsEveryHalfFailoverTimeAndRemovesItsEntryWhenStopped(LocalAwsStack stack) {
        LocalAwsNamespace names = LocalAwsExtension.newNamespace("kcl-worker-entry");
        KclConsumer consumer = consumer(stack, names, new SimpleMeterRegistry()); // failover 3 s: reports every 1.5 s
        String table = names.detectorApplication();
        consumer.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> workerEntry(stack, table, consumer.workerId()) != null);
            String firstReport =
                    workerEntry(stack, table, consumer.workerId()).get("lut").n();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !firstReport.equals(workerEntry(stack, table, consumer.workerId())
                            .get("lut")
                            .n()));
        } finally {
            consumer.stop();
        }
        assertThat(workerEntry(stack, table, consumer.workerId())).isNull();
    }

    /** A consumer of the namespace's trades stream with the fast-failover settings, recording what it is given. */
    private KclConsumer consumer(LocalAwsStack stack, LocalAwsNamespace names, SimpleMeterRegistry registry) {
        ShardLagMetrics lag = new ShardLagMetrics(registry);
        KclConsumerFactory factory = new KclConsumerFactory(
                KclProperties.defaults().withFastFailover(),
                stack.kinesis(),
                stack.dynamoDb(),
                stack.clientFactory().cloudWatch(),
                registry);
        return factory.create(names.detectorApplication(), names.tradesStream(), () -> new Recorder(lag));
    }

    private static Map<String, AttributeValue> workerEntry(LocalAwsStack stack, String table, String workerId) {
        Map<String, AttributeValue> item = stack.dynamoDb()
                .getItem(b -> b.tableName(table).key(Map.of("leaseKey", AttributeValue.fromS(workerId))))
                .join()
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, String> putRecords(LocalAwsStack stack, String stream, int count) {
        Map<String, String> last = new ConcurrentHashMap<>();
        for (int start = 0; start < count; start += 250) {
            List<PutRecordsRequestEntry> entries = IntStream.range(start, Math.min(count, start + 250))
                    .mapToObj(i -> PutRecordsRequestEntry.builder()
                            .partitionKey("key-" + i)
                            .data(SdkBytes.fromUtf8String("record-" + i))
                            .build())
                    .toList();
            List<PutRecordsResultEntry> results = stack.kinesis()
                    .putRecords(b -> b.streamName(stream).records(entries))
                    .join()
                    .records();
            for (PutRecordsResultEntry result : results) {
                assertThat(result.errorCode()).isNull();
                last.merge(
                        result.shardId(),
                        result.sequenceNumber(),
                        (a, b) -> new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)) >= 0 ? a : b);
            }
        }
        return last;
    }

    private static Map<String, String> checkpoints(LocalAwsStack stack, String table) {
        return stack.dynamoDb().scan(b -> b.tableName(table)).join().items().stream()
                .filter(item -> item.containsKey("checkpoint"))
                .collect(Collectors.toMap(
                        item -> item.get("leaseKey").s(),
                        item -> item.get("checkpoint").s()));
    }

    private final class Recorder extends ShardProcessorSupport {

        Recorder(ShardLagMetrics lag) {
            super(lag, shardId -> true);
        }

        @Override
        protected void process(ProcessRecordsInput input) {
            List<String> seen = delivered.computeIfAbsent(shardId(), s -> new ArrayList<>());
            KinesisClientRecord last = null;
            for (KinesisClientRecord record : input.records()) {
                seen.add(SdkBytes.fromByteBuffer(record.data()).asUtf8String());
                last = record;
            }
            if (last != null) {
                checkpoint(input.checkpointer(), last.sequenceNumber(), last.subSequenceNumber());
            }
        }

        @Override
        protected boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
            return true;
        }
    }
}
