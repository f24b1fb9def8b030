package io.tradeanomaly.common.kcl;

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
        return observe(Checkpoints.checkpoint(checkpointer, sequenceNumber, subSequenceNumber));
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
            try {
                process(input);
            } catch (ShardGivenUpException e) {
                state = State.LEASE_LOST;
                log.info("Shard {}: {}; not checkpointing, the next owner replays", shardId, e.getMessage());
            } catch (Throwable e) {
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
        }
        if (!handedOn) {
            log.warn("{} with records not handed on; not checkpointing: they will be replayed", what);
            return false;
        }
        Checkpoints.Outcome outcome =
                state == State.RUNNING ? observe(Checkpoints.checkpointAll(checkpointer)) : Checkpoints.Outcome.REFUSED;
        if (outcome == Checkpoints.Outcome.DONE) {
            log.info("{}; checkpointed {}", what, shardEnd ? "SHARD_END" : "every delivered record");
        } else {
            log.warn("{}; final checkpoint {}", what, outcome);
        }
        return outcome == Checkpoints.Outcome.DONE;
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
