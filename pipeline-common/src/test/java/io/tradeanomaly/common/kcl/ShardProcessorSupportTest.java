package io.tradeanomaly.common.kcl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.KinesisClientRecord;
import software.amazon.kinesis.retrieval.kpl.ExtendedSequenceNumber;

/**
 * The one failure path of every shard processor: an exception never lets a later checkpoint pass unprocessed records,
 * a lost lease stops the processor, and onStop runs once whatever KCL calls at the end of a lease.
 */
class ShardProcessorSupportTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final ShardLagMetrics lag = new ShardLagMetrics(registry, clock);
    private boolean checkpointing = true;
    private final RecordProcessorCheckpointer checkpointer = mock(RecordProcessorCheckpointer.class);
    private final List<String> released = new ArrayList<>();
    private final LeaseView leases = new LeaseView() {
        @Override
        public boolean holds(String shardId) {
            return !released.contains(shardId);
        }

        @Override
        public void release(String shardId) {
            released.add(shardId);
        }
    };
    private Consumer<ProcessRecordsInput> body = input -> {};
    private boolean handOff = true;
    private RuntimeException handOffFailure;
    private int stops;
    private final List<String> processed = new ArrayList<>();

    private final ShardProcessorSupport processor = new ShardProcessorSupport(lag, leases) {
        @Override
        protected void process(ProcessRecordsInput input) {
            body.accept(input);
            KinesisClientRecord last = input.records().get(input.records().size() - 1);
            processed.add(last.sequenceNumber());
            if (checkpointing) {
                checkpoint(input.checkpointer(), last.sequenceNumber(), 0);
            }
        }

        @Override
        protected boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
            if (handOffFailure != null) {
                throw handOffFailure;
            }
            return handOff;
        }

        @Override
        protected void onStop() {
            stops++;
        }
    };

    @BeforeEach
    void start() {
        processor.initialize(InitializationInput.builder()
                .shardId("shardId-1")
                .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
                .build());
    }

    @Test
    void anExceptionInABatchMeansNothingAfterItIsEverCheckpointedAndTheShardIsReleased() throws Exception {
        processor.processRecords(batch("1"));
        body = input -> {
            throw new IllegalStateException("scoring failed");
        };
        processor.processRecords(batch("2"));
        body = input -> {};
        processor.processRecords(batch("3"));
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        verify(checkpointer).checkpoint("1", 0);
        verify(checkpointer, never()).checkpoint("2", 0);
        verify(checkpointer, never()).checkpoint("3", 0);
        verify(checkpointer, never()).checkpoint();
        assertThat(processed).containsExactly("1");
        assertThat(released).containsExactly("shardId-1");
        assertThat(registry.get("kcl.processor.failures").counter().count()).isEqualTo(1);
    }

    @Test
    void aCheckpointAnsweredLeaseLostStopsTheProcessor() throws Exception {
        doThrow(new ShutdownException("lease lost")).when(checkpointer).checkpoint(anyString(), anyLong());
        processor.processRecords(batch("1"));
        processor.processRecords(batch("2"));
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());

        assertThat(processed).containsExactly("1");
        verify(checkpointer, never()).checkpoint();
    }

    @Test
    void onStopRunsOnceThoughKclEndsTheLeaseInSeveralCalls() throws Exception {
        processor.processRecords(batch("1"));
        processor.shutdownRequested(
                ShutdownRequestedInput.builder().checkpointer(checkpointer).build());
        processor.leaseLost(LeaseLostInput.builder().build());

        verify(checkpointer).checkpoint();
        assertThat(stops).isEqualTo(1);
    }

    @Test
    void shardEndIsCheckpointedOnlyOnceEverythingIsHandedOnAndKclsRetryGetsIt() throws Exception {
        processor.processRecords(batch("1"));
        handOff = false; // e.g. the model snapshots could not be stored yet
        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());
        verify(checkpointer, never()).checkpoint();
        assertThat(stops).isZero();

        handOff = true;
        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());
        processor.leaseLost(LeaseLostInput.builder().build());
        verify(checkpointer, times(1)).checkpoint();
        assertThat(stops).isEqualTo(1);
    }

    @Test
    void aShardEndWhoseHandOffGaveUpIsRetriedByKclUntilShardEndIsCheckpointed() throws Exception {
        processor.processRecords(batch("1"));
        // e.g. S3 down for longer than the last hand-off may retry: the records are still buffered
        handOffFailure = new ShardGivenUpException("gave up writing an object (STOPPED)");
        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());
        verify(checkpointer, never()).checkpoint();

        handOffFailure = null; // S3 is back when KCL calls shardEnded again
        processor.shardEnded(
                ShardEndedInput.builder().checkpointer(checkpointer).build());

        verify(checkpointer).checkpoint(); // SHARD_END: the child shards can start
        assertThat(stops).isEqualTo(1);
        assertThat(released).isEmpty();
    }

    @Test
    void aShardThatHandsNothingOnShowsItsOldestRecordsAgeAndTurnsReadinessDownAfterTheBound() throws Exception {
        ShardProgressHealth health = new ShardProgressHealth(lag, Duration.ofMinutes(5));
        checkpointing = false; // e.g. every write of the batch fails and is retried
        processor.processRecords(batch("1"));
        now = T0.plusSeconds(90);

        assertThat(age()).isEqualTo(90);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        now = T0.plus(Duration.ofMinutes(6));
        assertThat(age()).isEqualTo(360);
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);

        checkpointing = true; // it recovers: the next batch is handed on and checkpointed with the first
        processor.processRecords(batch("2"));
        assertThat(age()).isZero();
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aBatchThatFailsEveryTimeIsDeadLetteredAfterPoisonAfterAttemptsAndTheShardMovesOn() throws Exception {
        lag.poisonAfter(3);
        List<String> quarantined = new ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            released.clear(); // the lease expired and was taken again: KCL creates a fresh processor
            ShardProcessorSupport fresh = new ShardProcessorSupport(lag, leases) {
                @Override
                protected void process(ProcessRecordsInput input) {
                    throw new IllegalStateException("a bug on record 7");
                }

                @Override
                protected boolean quarantine(ProcessRecordsInput input, String reason) {
                    quarantined.add(reason);
                    checkpoint(input.checkpointer(), "7", 0);
                    return true;
                }

                @Override
                protected boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
                    return true;
                }
            };
            fresh.initialize(InitializationInput.builder()
                    .shardId("shardId-1")
                    .extendedSequenceNumber(ExtendedSequenceNumber.TRIM_HORIZON)
                    .build());
            fresh.processRecords(batch("7"));
        }

        assertThat(registry.get("kcl.processor.failures").counter().count()).isEqualTo(3);
        assertThat(quarantined).containsExactly("java.lang.IllegalStateException: a bug on record 7");
        verify(checkpointer).checkpoint("7", 0);
        assertThat(registry.get("kcl.poison.batches").counter().count()).isEqualTo(1);
    }

    private double age() {
        return registry.get(ShardLagMetrics.AGE)
                .tag("shard", "shardId-1")
                .gauge()
                .value();
    }

    private ProcessRecordsInput batch(String sequenceNumber) {
        return ProcessRecordsInput.builder()
                .records(List.of(KinesisClientRecord.builder()
                        .sequenceNumber(sequenceNumber)
                        .subSequenceNumber(0)
                        .partitionKey("k")
                        .approximateArrivalTimestamp(T0)
                        .data(ByteBuffer.wrap(new byte[] {1}))
                        .build()))
                .checkpointer(checkpointer)
                .millisBehindLatest(0L)
                .build();
    }
}
