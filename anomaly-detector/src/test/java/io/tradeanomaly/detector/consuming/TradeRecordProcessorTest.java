package io.tradeanomaly.detector.consuming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.amazonaws.kinesis.agg.AggRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.trade.Anomaly;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import io.tradeanomaly.detector.scoring.MemoryModelStore;
import io.tradeanomaly.detector.scoring.ModelBudget;
import io.tradeanomaly.detector.scoring.ModelEvents;
import io.tradeanomaly.detector.scoring.TradeScorer;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import io.tradeanomaly.detector.web.RecentAnomalies;
import jakarta.validation.Validation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.AggregatorUtil;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * The detector's shard processor around the happy path: a batch whose scoring fails is never checkpointed nor counted
 * as scored, and the shard is given up for a replay; the end of a shard and a shutdown checkpoint only once the model
 * snapshots are stored. The publisher, dead-letter sink and model store are in-memory doubles of the project's own
 * interfaces; KCL's checkpointer is a mock.
 */
class TradeRecordProcessorTest {

    private static final RecordCodec CODEC = new RecordCodec();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MemoryModelStore store = new MemoryModelStore();
    private final RecordProcessorCheckpointer checkpointer = mock(RecordProcessorCheckpointer.class);
    private final List<Anomaly> published = new ArrayList<>();
    private final List<String> released = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private boolean deadLettersStored = true;
    private TradeRecordProcessor processor;
    private DetectorMetrics metrics;
    private long sequence;

    @BeforeEach
    void start() {
        DetectorSettingsStore settings = new DetectorSettingsStore(
                TestSettings.perTicker(),
                Validation.buildDefaultValidatorFactory().getValidator());
        ModelBudget budget = new ModelBudget(100);
        metrics = new DetectorMetrics(registry, settings, budget);
        LeaseView leases = new LeaseView() {
            @Override
            public boolean holds(String shardId) {
                return !released.contains(shardId);
            }

            @Override
            public void release(String shardId) {
                released.add(shardId);
            }
        };
        TradeScorer.Persistence persistence = new TradeScorer.Persistence(
                store,
                null,
                budget,
                ModelEvents.NONE,
                Backoff.untilStopped(Duration.ofMillis(1), Duration.ofMillis(5)),
                Duration.ofMillis(20),
                Clock.systemUTC());
        processor = new TradeRecordProcessor(
                new ShardLagMetrics(registry),
                leases,
                CODEC,
                (shardId, keepTrying, start) -> new TradeScorer(
                        TestSettings.perTicker(), () -> 1.0, null, persistence, shardId, keepTrying, start),
                new TradeRecordProcessor.SnapshotTiming(
                        Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(200)),
                (anomalies, keepTrying) -> {
                    published.addAll(anomalies);
                    return true;
                },
                (shardId, letters, keepTrying) -> deadLettersStored && (deadLetters.addAll(letters) || true),
                new RecentAnomalies(100),
                metrics,
                Clock.systemUTC());
        processor.initialize(InitializationInput.builder()
                .shardId("shardId-000000000000")
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
                .build());
    }

    @Test
    void aBatchWhoseScoringFailsIsNeitherCheckpointedNorCountedAndTheShardIsGivenUp() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"AAA"}, new double[] {10}, 100, 0, 1)));
        verify(checkpointer, times(1)).checkpoint(anyString(), anyLong());

        store.brokenLoads = 1; // reading the new ticker's snapshot fails with an unexpected error
        processor.processRecords(batch(TestTrades.generate(new String[] {"BBB"}, new double[] {10}, 100, 0, 2)));
        processor.processRecords(batch(TestTrades.generate(new String[] {"AAA"}, new double[] {10}, 100, 0, 3)));
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
        processor.leaseLost(LeaseLostInput.builder().build());

        verify(checkpointer, times(1)).checkpoint(anyString(), anyLong());
        verify(checkpointer, never()).checkpoint();
        assertThat(registry.get("trades.scored").counter().count()).isEqualTo(100);
        assertThat(released).containsExactly("shardId-000000000000");
        assertThat(registry.get("detector.models").gauge().value()).isZero();
    }

    @Test
    void theEndOfAShardIsCheckpointedOnlyOnceTheSnapshotsAreStored() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"CCC"}, new double[] {10}, 300, 0, 4)));
        store.failSaves = true;

        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());
        verify(checkpointer, never()).checkpoint();
        assertThat(store.objects).isEmpty();

        store.failSaves = false; // KCL calls shardEnded again until SHARD_END is checkpointed
        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());
        verify(checkpointer, times(1)).checkpoint();
        assertThat(store.objects).containsOnlyKeys("ticker/CCC");
    }

    @Test
    void aShutdownWhoseSnapshotFailsDoesNotCheckpointPastIt() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"DDD"}, new double[] {10}, 300, 0, 5)));
        store.failSaves = true;

        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        verify(checkpointer, never()).checkpoint();
    }

    @Test
    void everyOutlierAndEveryMalformedTradeOfAKplAggregateHasItsOwnIdentity() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"EEE"}, new double[] {10}, 400, 0, 6)));
        List<Trade> outliers = new ArrayList<>();
        AggRecord aggregate = new AggRecord();
        for (Trade trade : TestTrades.generate(new String[] {"EEE"}, new double[] {10}, 20, 0, 7)) {
            aggregate.addUserRecord("EEE", null, CODEC.encode(trade));
        }
        for (int i = 0; i < 5; i++) {
            Trade outlier = new Trade(990_000 + i, "EEE", TradeType.BUY, 50 + i, 4_000, Instant.now(), true);
            outliers.add(outlier);
            aggregate.addUserRecord("EEE", null, CODEC.encode(outlier));
            if (i < 2) {
                aggregate.addUserRecord("EEE", null, "{\"tickerSymbol\":\"EEE\"".getBytes(StandardCharsets.UTF_8));
            }
        }
        KinesisClientRecord stored = KinesisClientRecord.builder()
                .sequenceNumber(Long.toString(++sequence))
                .partitionKey(aggregate.getPartitionKey())
                .explicitHashKey(aggregate.getExplicitHashKey())
                .approximateArrivalTimestamp(Instant.now())
                .data(ByteBuffer.wrap(aggregate.toRecordBytes()))
                .build();
        List<KinesisClientRecord> users = new AggregatorUtil().deaggregate(List.of(stored));

        processor.processRecords(ProcessRecordsInput.builder()
                .records(users)
                .checkpointer(checkpointer)
                .millisBehindLatest(0L)
                .build());

        assertThat(published)
                .extracting(Anomaly::id)
                .containsAll(outliers.stream().map(Trade::id).toList());
        assertThat(published)
                .extracting(Anomaly::identity)
                .doesNotHaveDuplicates()
                .allSatisfy(identity -> assertThat(identity).startsWith("shardId-000000000000/" + sequence + "/"));
        assertThat(deadLetters).extracting(DeadLetter::identity).hasSize(2).doesNotHaveDuplicates();
    }

    @Test
    void aBatchWhoseDeadLettersCannotBeStoredPublishesNothingSoItsReplayPublishesOnce() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"FFF"}, new double[] {10}, 400, 0, 8)));
        published.clear();
        List<Trade> outliers = List.of(new Trade(880_001, "FFF", TradeType.BUY, 60, 5_000, Instant.now(), true));
        ProcessRecordsInput batch = batch(outliers);
        List<KinesisClientRecord> withMalformed = new ArrayList<>(batch.records());
        withMalformed.add(KinesisClientRecord.builder()
                .sequenceNumber(Long.toString(++sequence))
                .partitionKey("FFF")
                .approximateArrivalTimestamp(Instant.now())
                .data(ByteBuffer.wrap("not json".getBytes(StandardCharsets.UTF_8)))
                .build());
        deadLettersStored = false; // S3 down until the lease moves: the sink gives up

        processor.processRecords(batch.toBuilder().records(withMalformed).build());

        assertThat(published).as("published before the batch was given up").isEmpty();
        verify(checkpointer, times(1)).checkpoint(anyString(), anyLong());
    }

    private ProcessRecordsInput batch(List<Trade> trades) {
        List<KinesisClientRecord> records = new ArrayList<>();
        for (Trade trade : trades) {
            records.add(KinesisClientRecord.builder()
                    .sequenceNumber(Long.toString(++sequence))
                    .subSequenceNumber(0)
                    .partitionKey(trade.tickerSymbol())
                    .approximateArrivalTimestamp(Instant.now())
                    .data(ByteBuffer.wrap(CODEC.encode(trade)))
                    .build());
        }
        return ProcessRecordsInput.builder()
                .records(records)
                .checkpointer(checkpointer)
                .millisBehindLatest(0L)
                .build();
    }
}
