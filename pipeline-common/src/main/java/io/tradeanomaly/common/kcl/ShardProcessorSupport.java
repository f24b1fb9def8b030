package io.tradeanomaly.common.kcl;

import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * The lifecycle every shard processor of the pipeline shares: {@code shardId} in the logging MDC, per-shard lag
 * exported, and the rule "checkpoint only what has been durably handed on", kept in one place:
 *
 * <ul>
 *   <li>Subclasses hand records on in {@link #process} and checkpoint only through {@link #checkpoint}; at shard end
 *       and on shutdown request this class asks {@link #handOffPending} to make everything durable and checkpoints
 *       only when it says so (SHARD_END at the end of a shard). A shard-end hand-off that gave up (S3 down for
 *       longer than it may retry) leaves the processor as it was: KCL calls {@code shardEnded} again, and the retry
 *       hands on what is still pending, so a parent shard, and with it its children, is never wedged.
 *   <li>A checkpoint answered "lease lost" stops the processor: no later batch is processed, nothing more is written
 *       or checkpointed on the shard's behalf ({@link #stillOwner()} turns false at once).
 *   <li>Any exception escaping {@link #process} or {@link #handOffPending} fails the processor: nothing after the last
 *       checkpoint is ever checkpointed by it, and the shard's lease is released, so that a fresh processor replays
 *       the shard from its last checkpoint. KCL itself would log "Skipping over the following data records" and let
 *       a later checkpoint commit past them.
 *   <li>{@link #onStop} runs exactly once, however many of KCL's end-of-lease calls arrive.
 * </ul>
 */
public abstract class ShardProcessorSupport implements ShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(ShardProcessorSupport.class);

    private enum State {
        RUNNING,
        LEASE_LOST,
        FAILED
    }

    private final ShardLagMetrics lag;
    private final LeaseView leases;
    private String shardId = "unknown";
    private volatile State state = State.RUNNING;
    private boolean stopped;
    /** Set (System.nanoTime) while the last hand-off runs; 0 otherwise. */
    private volatile long finalDeadline;
    /** Arrival of the oldest record received since everything before it was checkpointed; null when none. */
    private Instant pendingSince;
    /** The last record received. */
    private String lastReceived;

    private long lastReceivedSub;

    protected ShardProcessorSupport(ShardLagMetrics lag, LeaseView leases) {
        this.lag = lag;
        this.leases = leases;
    }

    protected String shardId() {
        return shardId;
    }

    /** The worker's leases (parents of the shard, for example). */
    protected LeaseView leases() {
        return leases;
    }

    /**
     * True while this processor may still act for its shard: it has neither lost the lease nor failed, and the worker
     * holds the lease and is not shutting down. Check it before every write made on the shard's behalf.
     */
    protected final boolean stillOwner() {
        return state == State.RUNNING && leases.holds(shardId);
    }

    /**
     * The one owner-bounded hand-off of the pipeline: runs a call that hands records on (an S3 write, a publish),
     * retrying it with backoff ({@link Backoff#HAND_OFF}) while this processor owns the shard, ownership checked
     * before the first attempt too; each failed attempt is counted in {@code kcl_handoff_failures_total{kind}}. When
     * the shard is no longer ours it gives the batch up ({@link ShardGivenUpException}: nothing is checkpointed, the
     * next owner replays). During the last hand-off (graceful shutdown, shard end), when the worker is stopping but KCL
     * has just handed this processor the shard to finish with, the call is retried until {@link #finalHandOffTimeout}
     * instead.
     *
     * @param kind the failure kind counted ({@code s3}, {@code dead-letters}, {@code publish})
     * @param what what is attempted, for logs
     */
    protected final <T> T handOn(String kind, String what, Supplier<T> call) {
        BooleanSupplier keepTrying = this::mayHandOn;
        if (!keepTrying.getAsBoolean()) {
            throw new ShardGivenUpException("no longer the owner of " + shardId + " before " + what);
        }
        try {
            return Retries.call(what, Backoff.HAND_OFF, keepTrying, e -> e instanceof RuntimeException, () -> {
                try {
                    return call.get();
                } catch (RuntimeException e) {
                    lag.handOffFailed(kind);
                    onHandOffFailure(what, e);
                    throw e;
                }
            });
        } catch (Retries.GaveUpException e) {
            throw new ShardGivenUpException("gave up " + what + " (" + e.reason() + ")");
        }
    }

    /**
     * Whether records may still be handed on for the shard, what {@link #handOn} retries by: while this processor owns
     * the shard ({@link #stillOwner}), or, during the last hand-off, until {@link #finalHandOffTimeout}. Give it to
     * anything else that retries on the shard's behalf within a hand-off (model snapshots read or stored on the way).
     */
    protected final boolean mayHandOn() {
        long deadline = finalDeadline;
        return deadline == 0 ? stillOwner() : System.nanoTime() - deadline < 0;
    }

    /** How long the last hand-off (graceful shutdown, shard end) may retry: below KCL's shutdown bound. */
    protected Duration finalHandOffTimeout() {
        return Duration.ofSeconds(15);
    }

    /** Told of every failed attempt of {@link #handOn} (status pages, health), before it is retried. */
    protected void onHandOffFailure(String what, RuntimeException failure) {}

    /** Called once before the first batch, with where this shard's processing starts. */
    protected void onStart(InitializationInput input) {}

    /** Hands a batch on (publish, buffer, write), checkpointing through {@link #checkpoint}. May throw. */
    protected abstract void process(ProcessRecordsInput input);

    /**
     * Makes everything received so far durable (flush buffers, publish what is pending, store model snapshots). May
     * checkpoint through {@link #checkpoint} itself. May throw (then nothing is checkpointed).
     *
     * @param shardEnd true at the end of a shard (a final SHARD_END checkpoint follows), false on shutdown
     * @return true when everything is handed on and a checkpoint of all delivered records is safe
     */
    protected abstract boolean handOffPending(RecordProcessorCheckpointer checkpointer, boolean shardEnd);

    /**
     * Arrival time of the oldest record received and not yet handed on, null when there is none (for
     * {@code kcl_oldest_unhandled_record_age_seconds} and the progress health). By default: the oldest record since
     * the last checkpoint that covered every record received. A processor that hands records on before it checkpoints
     * them (the archiver's buffered minutes) says better.
     */
    protected Instant oldestUnhandled() {
        return pendingSince;
    }

    /**
     * Whether a batch given up because the worker began to stop gracefully can be finished by the last hand-off
     * ({@link #handOffPending}): true only when everything the batch delivered is still held, in order, to be handed
     * on. Then a graceful stop hands it on and checkpoints it instead of dropping it like a crash. Default false: the
     * processor stops as after a lost lease and the next owner replays.
     */
    protected boolean resumableAfterGiveUp() {
        return false;
    }

    /**
     * Hands a poison batch on without processing it: a batch whose processing failed {@code kcl.poison-after} times
     * on this worker (a bug on one record, say) would otherwise be replayed for ever and stop the shard. The processor
     * dead-letters every record of the batch with the reason, and checkpoints past it. Default: not supported (false):
     * the batch is processed again.
     *
     * @param reason what the failed attempts threw
     * @return true when the batch's records are dead-lettered and checkpointed
     */
    protected boolean quarantine(ProcessRecordsInput input, String reason) {
        return false;
    }

    /** Called when the lease is lost: drop in-memory state, do not checkpoint. */
    protected void onLeaseLost() {}

    /** Called once, last, when processing of the shard ends whatever the reason (lease lost, shard end, shutdown). */
    protected void onStop() {}

    /**
     * The one way a processor checkpoints: up to and including the given record. Refused once the processor has
     * stopped or failed; a "lease lost" answer stops it.
     */
    protected final Checkpoints.Outcome checkpoint(
            RecordProcessorCheckpointer checkpointer, String sequenceNumber, long subSequenceNumber) {
        if (state != State.RUNNING) {
            return Checkpoints.Outcome.REFUSED;
        }
        Checkpoints.Outcome outcome = observe(Checkpoints.checkpoint(checkpointer, sequenceNumber, subSequenceNumber));
        if (outcome == Checkpoints.Outcome.DONE) { // everything received is handed on when it covers the last record
            if (sequenceNumber.equals(lastReceived) && subSequenceNumber == lastReceivedSub) {
                pendingSince = null;
            }
        }
        return outcome;
    }

    @Override
    public final void initialize(InitializationInput input) {
        shardId = input.shardId();
        withMdc(() -> {
            log.info("Processing shard {} from {}", shardId, input.extendedSequenceNumber());
            onStart(input);
        });
    }

    @Override
    public final void processRecords(ProcessRecordsInput input) {
        withMdc(() -> {
            if (state != State.RUNNING) {
                return; // lease lost or failed: the shard's next owner replays from the last checkpoint
            }
            lag.record(shardId, input.millisBehindLatest());
            received(input.records());
            String start = start(input);
            try {
                if (start != null
                        && lag.isPoison(shardId, start)
                        && quarantine(input, lag.lastFailure(shardId, start))) {
                    lag.poisonBatch();
                    log.error(
                            "Shard {}: the batch from {} ({} records) failed {} times; its records are dead-lettered"
                                    + " and the shard moves on",
                            shardId,
                            start,
                            input.records().size(),
                            "pipeline.kcl.poison-after");
                } else {
                    process(input);
                }
                lag.pending(shardId, oldestUnhandled());
                if (start != null) {
                    lag.batchDone(shardId, start);
                }
            } catch (ShardGivenUpException e) {
                if (leases.stopping() && resumableAfterGiveUp()) {
                    // a graceful stop, not a lost lease: shutdownRequested hands on what this batch could not
                    log.info(
                            "Shard {}: {}; the worker is stopping, the last hand-off takes it",
                            shardId,
                            e.getMessage());
                    return;
                }
                state = State.LEASE_LOST;
                log.info("Shard {}: {}; not checkpointing, the next owner replays", shardId, e.getMessage());
            } catch (Throwable e) {
                if (start != null) {
                    lag.batchFailed(shardId, start, String.valueOf(e));
                }
                fail("processing a batch of " + input.records().size() + " record(s)", e);
            }
        });
    }

    @Override
    public final void leaseLost(LeaseLostInput input) {
        withMdc(() -> {
            if (state == State.RUNNING) {
                state = State.LEASE_LOST;
                log.info("Lease lost on shard {}; not checkpointing", shardId);
            }
            onLeaseLost();
            stop();
        });
    }

    @Override
    public final void shardEnded(ShardEndedInput input) {
        // KCL calls this again until SHARD_END is checkpointed, so a hand-off that failed is retried later.
        withMdc(() -> {
            if (finish(input.checkpointer(), true)) {
                stop();
            }
        });
    }

    @Override
    public final void shutdownRequested(ShutdownRequestedInput input) {
        withMdc(() -> {
            finish(input.checkpointer(), false);
            stop();
        });
    }

    /** Hands everything on and checkpoints all delivered records; true when the final checkpoint is written. */
    private boolean finish(RecordProcessorCheckpointer checkpointer, boolean shardEnd) {
        String what = shardEnd ? "Shard " + shardId + " ended" : "Shutdown requested on shard " + shardId;
        if (state != State.RUNNING) {
            log.info("{}; not checkpointing (the processor {})", what, state == State.FAILED ? "failed" : "lost it");
            return false;
        }
        boolean handedOn;
        finalDeadline = nonZero(System.nanoTime() + finalHandOffTimeout().toNanos());
        try {
            handedOn = handOffPending(checkpointer, shardEnd);
        } catch (ShardGivenUpException e) {
            if (shardEnd) {
                // KCL calls shardEnded again until SHARD_END is checkpointed, and the records not handed on are still
                // pending: the next call retries. Marking the processor stopped here would refuse every retry, and
                // the parent, and with it its children, would never finish. A lost lease ends it through leaseLost.
                log.warn("{}; {}: not checkpointing yet, the hand-off is retried", what, e.getMessage());
                return false;
            }
            state = State.LEASE_LOST;
            log.info("{}; {}: not checkpointing", what, e.getMessage());
            return false;
        } catch (Throwable e) {
            fail("handing on the last records", e);
            return false;
        } finally {
            finalDeadline = 0;
        }
        if (!handedOn) {
            log.warn("{} with records not handed on; not checkpointing: they will be replayed", what);
            return false;
        }
        Checkpoints.Outcome outcome =
                state == State.RUNNING ? observe(Checkpoints.checkpointAll(checkpointer)) : Checkpoints.Outcome.REFUSED;
        if (outcome == Checkpoints.Outcome.DONE) {
            pendingSince = null;
            lag.pending(shardId, null);
            log.info("{}; checkpointed {}", what, shardEnd ? "SHARD_END" : "every delivered record");
        } else {
            log.warn("{}; final checkpoint {}", what, outcome);
        }
        return outcome == Checkpoints.Outcome.DONE;
    }

    /** Where a batch starts: its first record's position, the same on every replay from one checkpoint. */
    private static String start(ProcessRecordsInput input) {
        if (input.records().isEmpty()) {
            return null;
        }
        KinesisClientRecord first = input.records().get(0);
        return first.sequenceNumber() + "/" + first.subSequenceNumber();
    }

    private static long nonZero(long nanos) {
        return nanos == 0 ? 1 : nanos;
    }

    private void received(List<KinesisClientRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        Instant oldest = null;
        for (KinesisClientRecord record : records) {
            Instant arrival = record.approximateArrivalTimestamp();
            if (arrival != null && (oldest == null || arrival.isBefore(oldest))) {
                oldest = arrival;
            }
        }
        KinesisClientRecord last = records.get(records.size() - 1);
        lastReceived = last.sequenceNumber();
        lastReceivedSub = last.subSequenceNumber();
        if (pendingSince == null) {
            pendingSince = oldest;
        }
        lag.received(shardId, oldest);
    }

    private Checkpoints.Outcome observe(Checkpoints.Outcome outcome) {
        if (outcome == Checkpoints.Outcome.LEASE_LOST) {
            state = State.LEASE_LOST;
        }
        return outcome;
    }

    private void fail(String doing, Throwable e) {
        state = State.FAILED;
        lag.processorFailed();
        log.error(
                "Shard {} processor failed while {}; nothing after its last checkpoint will be checkpointed, and the"
                        + " shard is released to be replayed from there",
                shardId,
                doing,
                e);
        try {
            leases.release(shardId);
        } catch (RuntimeException releaseFailed) {
            log.warn("Releasing shard {} failed; it is replayed once its lease expires", shardId, releaseFailed);
        }
    }

    private void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        lag.remove(shardId);
        try {
            onStop();
        } catch (RuntimeException e) {
            log.warn("Stopping the processor of shard {} failed", shardId, e);
        }
    }

    private void withMdc(Runnable body) {
        MDC.put("shardId", shardId);
        try {
            body.run();
        } finally {
            MDC.remove("shardId");
        }
    }
}
