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
 * exported, and the rule "checkpoint only what has been durably handed on". Subclasses hand records on in
 * {@link #process} and say, through {@link #handOffPending}, whether everything received so far is durable; at shard
 * end and on shutdown request this class then checkpoints (SHARD_END at the end of a shard). On lease loss nothing is
 * checkpointed: the next owner replays from the last checkpoint.
 */
public abstract class ShardProcessorSupport implements ShardRecordProcessor {

    private static final Logger log = LoggerFactory.getLogger(ShardProcessorSupport.class);

    private final ShardLagMetrics lag;
    private String shardId = "unknown";

    protected ShardProcessorSupport(ShardLagMetrics lag) {
        this.lag = lag;
    }

    protected String shardId() {
        return shardId;
    }

    /** Called once before the first batch, with where this shard's processing starts. */
    protected void onStart(InitializationInput input) {}

    /** Hands a batch on (publish, buffer, write). May checkpoint itself through the input's checkpointer. */
    protected abstract void process(ProcessRecordsInput input);

    /**
     * Makes everything received so far durable (flush buffers, publish what is pending).
     *
     * @return true when everything is handed on and a checkpoint of all delivered records is safe
     */
    protected abstract boolean handOffPending(RecordProcessorCheckpointer checkpointer);

    /** Called when the lease is lost: drop in-memory state, do not checkpoint. */
    protected void onLeaseLost() {}

    /** Called last when processing of the shard ends, whatever the reason (lease lost, shard end, shutdown). */
    protected void onStop() {}

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
            lag.record(shardId, input.millisBehindLatest());
            process(input);
        });
    }

    @Override
    public final void leaseLost(LeaseLostInput input) {
        withMdc(() -> {
            log.info("Lease lost on shard {}; not checkpointing", shardId);
            lag.remove(shardId);
            onLeaseLost();
            onStop();
        });
    }

    @Override
    public final void shardEnded(ShardEndedInput input) {
        withMdc(() -> {
            lag.remove(shardId);
            if (handOffPending(input.checkpointer())) {
                // At shard end KCL requires checkpoint() with no argument: it records SHARD_END so children start.
                Checkpoints.checkpointAll(input.checkpointer());
                log.info("Shard {} ended; checkpointed SHARD_END", shardId);
            } else {
                log.warn("Shard {} ended but pending records were not handed on; it will be replayed", shardId);
            }
            onStop();
        });
    }

    @Override
    public final void shutdownRequested(ShutdownRequestedInput input) {
        withMdc(() -> {
            if (handOffPending(input.checkpointer())) {
                Checkpoints.checkpointAll(input.checkpointer());
                log.info("Shutdown requested on shard {}; checkpointed", shardId);
            } else {
                log.warn("Shutdown requested on shard {} with records not handed on; they will be replayed", shardId);
            }
            lag.remove(shardId);
            onStop();
        });
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
