package io.tradeanomaly.archiver.consuming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.archiver.TradeAnomalies;
import io.tradeanomaly.archiver.partitioning.ObjectKeys;
import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.archiver.storage.ArchiveStatus;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.s3.LineMerge;
import io.tradeanomaly.common.s3.NdjsonStore;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * The archiver's shard processor around the happy path, with the project's own line store in memory (KCL's
 * checkpointer is a mock): a graceful shutdown writes the open minute and checkpoints it although the worker is
 * stopping, and a record Kinesis gave no arrival time is archived (or dead-lettered) in a minute that depends only on
 * the record.
 */
class ArchiveRecordProcessorTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:05Z");

    private final Map<String, List<byte[]>> objects = new TreeMap<>();
    private final NdjsonStore store = new NdjsonStore() {
        @Override
        public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
            if (failWritesUntilStopping) {
                stopping = true; // the worker begins a graceful stop while this write fails (S3 slow or down)
                throw new IllegalStateException("503 Slow Down");
            }
            List<byte[]> merged = LineMerge.union(objects.getOrDefault(key, List.of()), lines, identity);
            if (merged == null) {
                return Outcome.UNCHANGED;
            }
            Outcome outcome = objects.containsKey(key) ? Outcome.MERGED : Outcome.CREATED;
            objects.put(key, merged);
            return outcome;
        }

        @Override
        public List<String> list(String prefix) {
            return objects.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        }

        @Override
        public byte[] read(String key) {
            return LineMerge.join(objects.get(key));
        }
    };
    private final RecordProcessorCheckpointer checkpointer = mock(RecordProcessorCheckpointer.class);
    private boolean stopping;
    private boolean failWritesUntilStopping;
    private List<String> parents = List.of();
    private SimpleMeterRegistry registry;
    private ArchiveRecordProcessor processor;
    private long sequence;

    @BeforeEach
    void start() {
        registry = new SimpleMeterRegistry();
        LeaseView leases = new LeaseView() {
            @Override
            public boolean holds(String shardId) {
                return !stopping; // KclConsumer.holds: false once the worker is shutting down
            }

            @Override
            public List<String> parents(String shardId) {
                return parents;
            }

            @Override
            public boolean stopping() {
                return stopping;
            }
        };
        processor = new ArchiveRecordProcessor(
                new ShardLagMetrics(registry),
                leases,
                1 << 16,
                new ObjectKeys("", "anomalous-trades", "1", false),
                new PartitionSettings(1 << 20, 1000, Duration.ofSeconds(10)),
                "errors/s3-archiver/",
                Duration.ofMinutes(10),
                store,
                new ArchiveStatus(registry, Clock.systemUTC(), Duration.ofMinutes(1)),
                Clock.systemUTC());
        processor.initialize(InitializationInput.builder()
                .shardId("shardId-000000000000")
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
                .build());
    }

    @Test
    void aGracefulShutdownWritesTheOpenMinuteAndCheckpointsItWhileTheWorkerStops() throws Exception {
        processor.processRecords(batch(List.of(anomaly(1), anomaly(2)), T0, 60_000L)); // behind: the minute stays open
        assertThat(objects).isEmpty();

        stopping = true;
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        assertThat(objects).hasSize(1);
        assertThat(objects.values().iterator().next()).hasSize(2);
        verify(checkpointer).checkpoint(anyString(), anyLong());
        verify(checkpointer).checkpoint();
    }

    @Test
    void aGracefulStopWhileABatchRetriesItsWritesHandsTheBatchOnAndCheckpointsItNotLikeACrash() throws Exception {
        failWritesUntilStopping = true;
        KinesisClientRecord bad = record("not json".getBytes(StandardCharsets.UTF_8), T0);
        ProcessRecordsInput input = batch(List.of(anomaly(1), anomaly(2)), T0, 0L);
        List<KinesisClientRecord> records = new ArrayList<>(input.records());
        records.add(bad);
        // read after the minute and its grace: the object is finished and written at once, and that write fails
        processor.processRecords(fetched(input.toBuilder().records(records).build(), T0.plusSeconds(80)));
        assertThat(objects).isEmpty();

        failWritesUntilStopping = false;
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        assertThat(objects.keySet())
                .anySatisfy(key -> assertThat(key).startsWith("2026/11/26/08/anomalous-trades-1-"))
                .anySatisfy(key -> assertThat(key).startsWith("errors/s3-archiver/2026/11/26/08/"));
        verify(checkpointer).checkpoint();
    }

    @Test
    void aRecordWithoutAnArrivalTimeLandsInItsDetectionMinuteAndABadOneUnder1970() throws Exception {
        KinesisClientRecord good = record(anomaly(3).encode(), null);
        KinesisClientRecord bad = record("not json".getBytes(StandardCharsets.UTF_8), null);
        processor.processRecords(input(List.of(good, bad), 0L));
        stopping = true;
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        assertThat(objects.keySet())
                .anySatisfy(key -> assertThat(key).startsWith("2026/11/26/08/anomalous-trades-1-2026-11-26-08-00-05-"))
                .anySatisfy(key -> assertThat(key).startsWith("errors/s3-archiver/1970/01/01/00/"));
        verify(checkpointer).checkpoint(); // handed on: no exception looping on the missing time
    }

    @Test
    void aStoredLineTheInputValidatorWouldRefuseIsKeptByteForByteAndNeverFailsABatch() throws Exception {
        // the parent shard's archive (read to seed the duplicate filter) and the object this batch rebuilds (read to
        // merge) hold lines the input validator refuses: over the size bound after canonicalisation, and no JSON
        byte[] oversized = ("{\"sourceShardId\":\"shardId-000000000001\",\"sourceSequenceNumber\":\"8\",\"pad\":\""
                        + "9".repeat(1 << 16) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] garbage = "written by another tool \u0000".getBytes(StandardCharsets.UTF_8);
        ObjectKeys keys = new ObjectKeys("", "anomalous-trades", "1", false);
        String parentObject = keys.objectKey(T0.minusSeconds(30), "shardId-000000000009", "1");
        String ownObject = keys.objectKey(T0, "shardId-000000000000", "1");
        objects.put(parentObject, new ArrayList<>(List.of(anomaly(7).encode(), oversized)));
        objects.put(ownObject, new ArrayList<>(List.of(garbage)));
        parents = List.of("shardId-000000000009");

        processor.processRecords(batch(List.of(anomaly(1), anomaly(7), anomaly(8)), T0, 60_000L));
        stopping = true;
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        verify(checkpointer).checkpoint();
        assertThat(registry.get("kcl.processor.failures").counter().count()).isZero();
        assertThat(registry.get("archive.duplicates.dropped").counter().count())
                .isEqualTo(2); // 7 and 8 were archived by the parent
        assertThat(objects.get(ownObject)).hasSize(2);
        assertThat(objects.get(ownObject).get(0)).isEqualTo(garbage);
        assertThat(objects.get(parentObject).get(1)).isEqualTo(oversized);
    }

    @Test
    void atTheTipAMinuteClosesByWhenItsBatchWasReadNotByWhenItIsProcessed() throws Exception {
        // read 20 s into the minute, processed days later (this test's clock): records of 08:00 may still arrive
        processor.processRecords(fetched(batch(List.of(anomaly(1)), T0, 0L), T0.plusSeconds(15)));
        assertThat(objects).isEmpty();

        // a batch read after the minute and its grace (08:01:10) closes it
        processor.processRecords(fetched(input(List.of(), 0L), Instant.parse("2026-11-26T08:01:11Z")));
        assertThat(objects).hasSize(1);
    }

    private static ProcessRecordsInput fetched(ProcessRecordsInput input, Instant readAt) {
        return input.toBuilder().cacheEntryTime(readAt).build();
    }

    private Anomaly anomaly(long id) {
        Trade trade = new Trade(id, "AMZN", TradeType.BUY, 100, 10, T0, true);
        return TradeAnomalies.of(trade, 2.5, null, T0, new Anomaly.Source("shardId-000000000001", "" + id, T0));
    }

    private ProcessRecordsInput batch(List<Anomaly> anomalies, Instant arrival, long behind) {
        List<KinesisClientRecord> records = new ArrayList<>();
        for (Anomaly anomaly : anomalies) {
            records.add(record(anomaly.encode(), arrival));
        }
        return input(records, behind);
    }

    private ProcessRecordsInput input(List<KinesisClientRecord> records, long behind) {
        return ProcessRecordsInput.builder()
                .records(records)
                .checkpointer(checkpointer)
                .millisBehindLatest(behind)
                .build();
    }

    private KinesisClientRecord record(byte[] data, Instant arrival) {
        return KinesisClientRecord.builder()
                .sequenceNumber(Long.toString(++sequence))
                .subSequenceNumber(0)
                .partitionKey("AMZN")
                .approximateArrivalTimestamp(arrival)
                .data(ByteBuffer.wrap(data))
                .build();
    }
}
