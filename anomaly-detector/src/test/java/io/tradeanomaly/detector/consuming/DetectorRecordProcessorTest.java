package io.tradeanomaly.detector.consuming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import io.tradeanomaly.detector.scoring.MemoryModelStore;
import io.tradeanomaly.detector.scoring.ModelBudget;
import io.tradeanomaly.detector.scoring.ModelEvents;
import io.tradeanomaly.detector.scoring.RecordScorer;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.ShardModels;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import io.tradeanomaly.detector.system.DetectorProperties;
import io.tradeanomaly.detector.web.RecentAnomalies;
import jakarta.validation.Validation;
import java.nio.ByteBuffer;
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
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * The detector's shard processor around the happy path: a batch whose scoring fails is never checkpointed nor counted
 * as scored, and the shard is given up for a replay; the end of a shard and a shutdown checkpoint only once the model
 * snapshots are stored. The publisher, dead-letter sink and model store are in-memory doubles of the project's own
 * interfaces; KCL's checkpointer is a mock.
 */
class DetectorRecordProcessorTest {

    private static final TradeCodec CODEC = new TradeCodec();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MemoryModelStore store = new MemoryModelStore();
    private final RecordProcessorCheckpointer checkpointer = mock(RecordProcessorCheckpointer.class);
    private final List<Anomaly> published = new ArrayList<>();
    private final List<String> released = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private boolean deadLettersStored = true;
    private DetectorRecordProcessor processor;
    private DetectorMetrics metrics;
    private long sequence;

    @BeforeEach
    void start() {
        start(java.util.Map.of());
    }

    /** A processor of shard 0 with the defaults and these {@code detector.*} settings. */
    private void start(java.util.Map<String, String> detector) {
        DetectorProperties properties = TestSettings.properties(detector);
        ScoringSettings scoring = properties.scoring();
        DetectorSettingsStore settings = new DetectorSettingsStore(
                scoring,
                properties.schema(),
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
        ShardModels.Persistence persistence = new ShardModels.Persistence(
                store,
                null,
                budget,
                ModelEvents.NONE,
                Backoff.untilStopped(Duration.ofMillis(1), Duration.ofMillis(5)),
                Duration.ofMillis(20),
                Clock.systemUTC());
        processor = new DetectorRecordProcessor(
                new ShardLagMetrics(registry),
                leases,
                new DetectorRecordProcessor.Format(
                        properties.schema(), properties.layout(), properties.maxRecordBytes()),
                (shardId, keepTrying, start) -> new RecordScorer(
                        new ShardModels(scoring, persistence, shardId, keepTrying, start), () -> 1.0, null),
                new DetectorRecordProcessor.SnapshotTiming(
                        Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(200)),
                (anomalies, keepTrying) -> {
                    published.addAll(anomalies);
                    return true;
                },
                (shardId, letters, keepTrying) -> deadLettersStored && deadLetters.addAll(letters),
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
        assertThat(store.objects).containsOnlyKeys("key/CCC");
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
    void anyStreamsAnomalyIsItsRecordUnchangedPlusKdasColumnsAndWhereItWasRead() throws Exception {
        start(java.util.Map.of(
                "detector.input.key", "device.id",
                "detector.input.features", "Inlet Pressure kPa",
                "detector.input.time", "at"));
        List<String> lines = new ArrayList<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(8);
        for (int i = 0; i < 600; i++) {
            double pressure = i == 599 ? 180.0 : 101.3 + random.nextGaussian() * 0.5;
            lines.add(String.format(
                    java.util.Locale.ROOT,
                    "{\"at\":%d,\"device\":{\"id\":\"p-7\",\"tags\":[\"a\",1]},\"Inlet Pressure kPa\":%.4f,\"ok\":true}",
                    1_764_547_200L + i * 60,
                    pressure));
        }
        processor.processRecords(lines(lines));

        assertThat(published).hasSize(1);
        Anomaly anomaly = published.get(0);
        assertThat(anomaly.key()).isEqualTo("p-7");
        var record = anomaly.record();
        assertThat(record.propertyNames())
                .containsExactly(
                        "at",
                        "device",
                        "Inlet Pressure kPa",
                        "ok",
                        "ANOMALY_SCORE",
                        "ANOMALY_EXPLANATION",
                        "detectedAt",
                        "sourceShardId",
                        "sourceSequenceNumber",
                        "arrivalTime");
        var input = JsonRecords.mapper().readTree(lines.get(599));
        for (String field : List.of("at", "device", "Inlet Pressure kPa", "ok")) {
            assertThat(record.get(field)).as(field).isEqualTo(input.get(field));
        }
        assertThat(record.get("ANOMALY_EXPLANATION").propertyNames()).containsExactly("Inlet Pressure kPa");
        assertThat(record.get("sourceSequenceNumber").stringValue()).isEqualTo(Long.toString(sequence));
        assertThat(anomaly.identity()).isEqualTo("shardId-000000000000/" + sequence);
    }

    @Test
    void recordsOfOneKplAggregateAreTwoAnomaliesWithTheirSubSequenceNumbers() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"AAA"}, new double[] {10}, 400, 0, 6)));
        List<KinesisClientRecord> aggregate = new ArrayList<>();
        String shared = Long.toString(++sequence);
        for (int sub = 0; sub < 2; sub++) {
            aggregate.add(KinesisClientRecord.builder()
                    .sequenceNumber(shared)
                    .subSequenceNumber(sub)
                    .aggregated(true)
                    .partitionKey("AAA")
                    .approximateArrivalTimestamp(Instant.now())
                    .data(ByteBuffer.wrap(CODEC.encode(TestTrades.normal("AAA", 40 + sub, 5_000))))
                    .build());
        }
        processor.processRecords(ProcessRecordsInput.builder()
                .records(aggregate)
                .checkpointer(checkpointer)
                .millisBehindLatest(0L)
                .build());

        assertThat(published).hasSize(2);
        assertThat(published.stream().map(Anomaly::identity))
                .containsExactlyInAnyOrder(
                        "shardId-000000000000/" + shared + "/0", "shardId-000000000000/" + shared + "/1");
        assertThat(published.get(0).record().get("sourceSubSequenceNumber").isIntegralNumber())
                .isTrue();
    }

    @Test
    void aRecordTheMethodCannotScoreIsDeadLetteredWithTheReasonAndTheRestIsScored() throws Exception {
        List<Trade> trades = new ArrayList<>(TestTrades.generate(new String[] {"AAA"}, new double[] {10}, 10, 0, 7));
        trades.set(4, new Trade(1, "AAA", io.tradeanomaly.common.trade.TradeType.BUY, 10, 0, null, null));
        processor.processRecords(batch(trades));

        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.reason()).isEqualTo("non-positive-number");
            assertThat(letter.message()).contains("'quantity'", "log scale");
        });
        assertThat(registry.get("trades.scored").counter().count()).isEqualTo(9);
    }

    @Test
    void aBatchWhoseDeadLettersCannotBeStoredPublishesNothingSoItsReplayPublishesOnce() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"FFF"}, new double[] {10}, 400, 0, 8)));
        published.clear();
        ProcessRecordsInput batch = batch(List.of(TestTrades.normal("FFF", 60, 5_000)));
        List<KinesisClientRecord> withMalformed = new ArrayList<>(batch.records());
        withMalformed.add(KinesisClientRecord.builder()
                .sequenceNumber(Long.toString(++sequence))
                .partitionKey("FFF")
                .approximateArrivalTimestamp(Instant.now())
                .data(ByteBuffer.wrap("not json".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build());
        deadLettersStored = false; // S3 down until the lease moves: the sink gives up

        processor.processRecords(batch.toBuilder().records(withMalformed).build());

        assertThat(published).as("published before the batch was given up").isEmpty();
        verify(checkpointer, times(1)).checkpoint(anyString(), anyLong());
    }

    private ProcessRecordsInput batch(List<Trade> trades) {
        List<String> lines = new ArrayList<>();
        for (Trade trade : trades) {
            lines.add(new String(CODEC.encode(trade), java.nio.charset.StandardCharsets.UTF_8));
        }
        return lines(lines);
    }

    private ProcessRecordsInput lines(List<String> lines) {
        List<KinesisClientRecord> records = new ArrayList<>();
        for (String line : lines) {
            records.add(KinesisClientRecord.builder()
                    .sequenceNumber(Long.toString(++sequence))
                    .subSequenceNumber(0)
                    .partitionKey("k")
                    .approximateArrivalTimestamp(Instant.now())
                    .data(ByteBuffer.wrap(line.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                    .build());
        }
        return ProcessRecordsInput.builder()
                .records(records)
                .checkpointer(checkpointer)
                .millisBehindLatest(0L)
                .build();
    }
}
