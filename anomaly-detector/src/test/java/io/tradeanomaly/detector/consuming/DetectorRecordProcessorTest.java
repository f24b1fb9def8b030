package io.tradeanomaly.detector.consuming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
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
import io.tradeanomaly.detector.scoring.ModelCodec;
import io.tradeanomaly.detector.scoring.ModelEvents;
import io.tradeanomaly.detector.scoring.ModelStore;
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
    /** Dead-letter writes to fail before they succeed. */
    private int deadLetterFailures;
    /** Anomalies the anomalies stream refuses (once each) before it accepts them. */
    private final java.util.Set<Long> refuseOnce = new java.util.HashSet<>();
    /** Publishing fails until the worker begins to stop, which the first failure sets off. */
    private boolean failPublishingUntilStopping;

    private boolean stopping;
    private final List<String> checkpoints = new ArrayList<>();
    private DetectorRecordProcessor processor;
    private DetectorMetrics metrics;
    private ModelBudget budget;
    private ScoringSettings scoring;
    private long sequence;

    @BeforeEach
    void start() throws Exception {
        doAnswer(call -> checkpoints.add(call.getArgument(0) + "/" + call.getArgument(1)))
                .when(checkpointer)
                .checkpoint(anyString(), anyLong());
        start(java.util.Map.of());
    }

    /** A processor of shard 0 with the defaults and these {@code detector.*} settings. */
    private void start(java.util.Map<String, String> detector) {
        start(detector, 100, store, ModelEvents.NONE);
    }

    /** A processor of shard 0 whose JVM keeps at most {@code maxModels} models, with this store and these events. */
    private void start(java.util.Map<String, String> detector, int maxModels, ModelStore models, ModelEvents events) {
        DetectorProperties properties = TestSettings.properties(detector);
        scoring = properties.scoring();
        DetectorSettingsStore settings = new DetectorSettingsStore(
                scoring,
                properties.schema(),
                Validation.buildDefaultValidatorFactory().getValidator());
        budget = new ModelBudget(maxModels);
        metrics = new DetectorMetrics(registry, settings, budget);
        LeaseView leases = new LeaseView() {
            @Override
            public boolean holds(String shardId) {
                return !released.contains(shardId) && !stopping; // KclConsumer.holds: false once the worker stops
            }

            @Override
            public boolean stopping() {
                return stopping;
            }

            @Override
            public void release(String shardId) {
                released.add(shardId);
            }
        };
        ShardModels.Persistence persistence = new ShardModels.Persistence(
                models,
                null,
                budget,
                events,
                Backoff.untilStopped(Duration.ofMillis(1), Duration.ofMillis(5)),
                Duration.ofMillis(20),
                Clock.systemUTC());
        processor = new DetectorRecordProcessor(
                new ShardLagMetrics(registry),
                leases,
                new DetectorRecordProcessor.Format(
                        properties.schema(), properties.layout(), properties.maxRecordBytes()),
                (shardId, keepTrying, start) -> new RecordScorer(
                        new ShardModels(scoring, persistence, shardId, keepTrying, start), settings::threshold, null),
                new DetectorRecordProcessor.SnapshotTiming(
                        Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(200)),
                this::publish,
                (shardId, letters) -> {
                    if (!deadLettersStored) {
                        released.add(shardId); // S3 down until the lease moves
                        throw new IllegalStateException("S3 is down");
                    }
                    if (deadLetterFailures > 0) {
                        deadLetterFailures--;
                        throw new IllegalStateException("503 Slow Down");
                    }
                    deadLetters.addAll(letters);
                },
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
        deadLettersStored = false; // S3 down until the lease moves: the hand-off gives up

        processor.processRecords(batch.toBuilder().records(withMalformed).build());

        assertThat(published).as("published before the batch was given up").isEmpty();
        verify(checkpointer, times(1)).checkpoint(anyString(), anyLong());
    }

    @Test
    void aBatchWithManyMoreKeysThanTheModelShareIsScoredInChunksThatNeverHoldMoreModelsThanTheShare() throws Exception {
        // a reshard brings 400 keys never seen, amid three keys with history: the share is 40 models
        int share = 40;
        int[] peak = {0};
        ModelEvents events = new ModelEvents() {
            @Override
            public void created(String key) {
                peak[0] = Math.max(peak[0], budget.held() + 1); // held, and this one
            }

            @Override
            public void restored(String key) {
                created(key);
            }
        };
        List<String> misplacedSnapshots = new ArrayList<>();
        ModelStore checked = new ModelStore() {
            @Override
            public java.util.Optional<Stored> load(String key) {
                return store.load(key);
            }

            @Override
            public String save(String key, byte[] snapshot, String expectedVersion) {
                String position = new ModelCodec(scoring.detectionMethod())
                        .decode(snapshot)
                        .position();
                String last = checkpoints.isEmpty() ? null : checkpoints.get(checkpoints.size() - 1);
                if (last == null || !last.startsWith(position + "/")) {
                    misplacedSnapshots.add(key + " at " + position + ", checkpointed " + last);
                }
                return store.save(key, snapshot, expectedVersion);
            }
        };
        start(java.util.Map.of(), share, checked, events);
        String[] hot = {"HOT0", "HOT1", "HOT2"};
        List<Trade> trades = new ArrayList<>(TestTrades.generate(hot, new double[] {10, 20, 30}, 240, 0, 9));
        for (int k = 0; k < 400; k++) {
            trades.add(TestTrades.normal(String.format("NEW%03d", k), 50, 100));
        }
        trades.addAll(TestTrades.generate(hot, new double[] {10, 20, 30}, 30, 0, 10));
        ProcessRecordsInput batch = batch(trades);

        processor.processRecords(batch);
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        assertThat(peak[0]).as("models held at once").isLessThanOrEqualTo(share);
        assertThat(registry.get("trades.scored").counter().count())
                .as("every record scored once")
                .isEqualTo(trades.size());
        assertThat(checkpoints).as("a checkpoint per chunk").hasSizeGreaterThan(400 / share);
        KinesisClientRecord last = batch.records().get(batch.records().size() - 1);
        assertThat(checkpoints).last().isEqualTo(last.sequenceNumber() + "/" + last.subSequenceNumber());
        assertThat(checkpoints.stream().map(c -> new java.math.BigInteger(c.substring(0, c.indexOf('/')))))
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(misplacedSnapshots).as("snapshots not at the checkpoint").isEmpty();
        ModelCodec codec = new ModelCodec(scoring.detectionMethod());
        for (String key : hot) { // evicted while the new keys were scored, restored for their last records
            long records =
                    trades.stream().filter(t -> t.tickerSymbol().equals(key)).count();
            assertThat(codec.decode(store.data("key/" + key)).model().seen())
                    .as("records %s's model learnt, in order, once", key)
                    .isEqualTo(records);
        }
        verify(checkpointer).checkpoint();
    }

    @Test
    void aGracefulStopWhilePublishingRetriesHandsTheBatchOnAndCheckpointsItNotLikeACrash() throws Exception {
        start(java.util.Map.of(), 1, store, ModelEvents.NONE); // one model at a time: the batch is two chunks
        for (String key : List.of("AAA", "BBB")) {
            processor.processRecords(batch(TestTrades.generate(new String[] {key}, new double[] {10}, 300, 0, 11)));
        }
        published.clear();
        checkpoints.clear();
        List<Trade> trades = new ArrayList<>();
        trades.addAll(TestTrades.generate(new String[] {"AAA"}, new double[] {10}, 20, 0, 12));
        trades.add(TestTrades.outlier("AAA", 10));
        trades.addAll(TestTrades.generate(new String[] {"BBB"}, new double[] {10}, 20, 0, 13));
        trades.add(TestTrades.outlier("BBB", 10));
        ProcessRecordsInput batch = batch(trades);
        failPublishingUntilStopping = true; // the first attempt fails, and the worker begins to stop meanwhile

        processor.processRecords(batch);
        assertThat(published).isEmpty();
        assertThat(checkpoints).isEmpty();
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        assertThat(published.stream().map(TestTrades::id))
                .containsExactly(trades.get(20).id(), trades.get(41).id());
        KinesisClientRecord last = batch.records().get(batch.records().size() - 1);
        assertThat(checkpoints).hasSize(2).last().isEqualTo(last.sequenceNumber() + "/" + last.subSequenceNumber());
        verify(checkpointer).checkpoint();
        assertThat(registry.get("trades.scored").counter().count()).isEqualTo(600 + trades.size());
        assertThat(released).isEmpty();
    }

    @Test
    void publishAndDeadLetterFailuresAreRetriedByTheOwnerBoundedHandOffAndCountedByKind() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"EEE"}, new double[] {10}, 300, 0, 14)));
        published.clear();
        List<Trade> trades = List.of(
                TestTrades.outlier("EEE", 10), TestTrades.normal("EEE", 10, 100), TestTrades.outlier("EEE", 10));
        refuseOnce.add(trades.get(2).id()); // PutRecords refuses one entry of two (throttled)
        deadLetterFailures = 1; // S3 answers 503 once
        List<String> lines = new ArrayList<>();
        for (Trade trade : trades) {
            lines.add(new String(CODEC.encode(trade), java.nio.charset.StandardCharsets.UTF_8));
        }
        lines.add("not json");

        processor.processRecords(lines(lines));

        assertThat(published.stream().map(TestTrades::id))
                .containsExactlyInAnyOrder(trades.get(0).id(), trades.get(2).id());
        assertThat(deadLetters)
                .singleElement()
                .satisfies(letter -> assertThat(letter.reason()).isEqualTo("malformed-json"));
        assertThat(registry.get("kcl.handoff.failures")
                        .tag("kind", "publish")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("kcl.handoff.failures")
                        .tag("kind", "dead-letters")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(checkpoints).last().isEqualTo(sequence + "/0");
    }

    @Test
    void everyOutlierAndEveryMalformedTradeOfAKplAggregateHasItsOwnIdentity() throws Exception {
        processor.processRecords(batch(TestTrades.generate(new String[] {"KPL"}, new double[] {10}, 400, 0, 15)));
        published.clear();
        // what a KPL producer puts: 60 trades in one Kinesis record, three gross outliers and a malformed one among
        // them
        List<Trade> trades = new ArrayList<>(TestTrades.generate(new String[] {"KPL"}, new double[] {10}, 60, 0, 16));
        java.util.Map<Long, Integer> outliers = new java.util.HashMap<>();
        for (int at : new int[] {7, 23, 51}) {
            trades.set(at, TestTrades.outlier("KPL", 10));
            outliers.put(trades.get(at).id(), at);
        }
        com.amazonaws.kinesis.agg.AggRecord aggregate = new com.amazonaws.kinesis.agg.AggRecord();
        for (int i = 0; i < trades.size(); i++) {
            byte[] data = i == 40 ? "{\"tickerSymbol\":\"KPL\",".getBytes() : CODEC.encode(trades.get(i));
            assertThat(aggregate.addUserRecord("KPL", null, data)).isTrue();
        }
        String shared = Long.toString(++sequence);
        KinesisClientRecord stored = KinesisClientRecord.builder()
                .sequenceNumber(shared)
                .partitionKey(aggregate.getPartitionKey())
                .explicitHashKey(aggregate.getExplicitHashKey())
                .approximateArrivalTimestamp(Instant.now())
                .data(ByteBuffer.wrap(aggregate.toRecordBytes()))
                .build();
        List<KinesisClientRecord> users =
                new software.amazon.kinesis.retrieval.AggregatorUtil().deaggregate(List.of(stored)); // as KCL does
        assertThat(users).hasSize(60).allMatch(KinesisClientRecord::aggregated);

        processor.processRecords(ProcessRecordsInput.builder()
                .records(users)
                .checkpointer(checkpointer)
                .millisBehindLatest(0L)
                .build());

        assertThat(published).hasSize(3);
        for (Anomaly anomaly : published) {
            int at = outliers.get(TestTrades.id(anomaly));
            assertThat(anomaly.identity()).isEqualTo("shardId-000000000000/" + shared + "/" + at);
            assertThat(anomaly.record().get("sourceSubSequenceNumber").longValue())
                    .isEqualTo(at);
        }
        assertThat(published.stream().map(Anomaly::identity)).doesNotHaveDuplicates();
        assertThat(deadLetters).singleElement().satisfies(letter -> {
            assertThat(letter.identity()).isEqualTo(shared + "/40");
            assertThat(letter.subSequenceNumber()).isEqualTo(40L);
        });
        assertThat(checkpoints).last().isEqualTo(shared + "/59");
    }

    /** The anomalies stream: accepts what it is given, but for the refusals the test set up. */
    private List<Anomaly> publish(List<Anomaly> anomalies) {
        if (failPublishingUntilStopping && !stopping) {
            stopping = true; // a rolling update begins while PutRecords fails
            return anomalies;
        }
        List<Anomaly> refused = new ArrayList<>();
        for (Anomaly anomaly : anomalies) {
            if (!refuseOnce.isEmpty() && refuseOnce.remove(TestTrades.id(anomaly))) {
                refused.add(anomaly);
            } else {
                published.add(anomaly);
            }
        }
        return refused;
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
