package io.tradeanomaly.common.kcl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * The one checkpoint method of the pipeline. It treats KCL's failures differently: a lost lease ends the work on the
 * shard (another worker owns it now; retrying would be wrong), throttling and DynamoDB trouble are retried with
 * backoff a bounded number of times, an invalid state is logged as an error (the records will be replayed).
 */
public final class Checkpoints {

    /** What became of a checkpoint. */
    public enum Outcome {
        /** Written. */
        DONE,
        /** The lease is gone; stop processing this shard without checkpointing. */
        LEASE_LOST,
        /** Not written after retries; the records after the previous checkpoint will be delivered again. */
        FAILED
    }

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MILLIS = 100;

    private Checkpoints() {}

    /** Checkpoints up to and including the given record position. */
    public static Outcome checkpoint(
            RecordProcessorCheckpointer checkpointer, String sequenceNumber, long subSequenceNumber) {
        return run(() -> checkpointer.checkpoint(sequenceNumber, subSequenceNumber), sequenceNumber);
    }

    /** Checkpoints everything delivered so far; at shard end this records SHARD_END. */
    public static Outcome checkpointAll(RecordProcessorCheckpointer checkpointer) {
        return run(checkpointer::checkpoint, "latest");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Outcome run(Call call, String position) {
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return Outcome.DONE;
            } catch (ShutdownException e) {
                log.info("Lease lost before checkpoint at {}; another worker continues from its checkpoint", position);
                return Outcome.LEASE_LOST;
            } catch (InvalidStateException e) {
                log.error("Checkpoint at {} failed: invalid state (lease table problem?)", position, e);
                return Outcome.FAILED;
            } catch (ThrottlingException | KinesisClientLibDependencyException e) {
                if (attempt >= ATTEMPTS) {
                    log.error(
                            "Checkpoint at {} failed after {} attempts; records will be replayed",
                            position,
                            attempt,
                            e);
                    return Outcome.FAILED;
                }
                log.warn("Checkpoint at {} attempt {} failed ({}); retrying", position, attempt, e.toString());
            } catch (IllegalArgumentException e) {
                log.error("Checkpoint at {} rejected", position, e);
                return Outcome.FAILED;
            } catch (Exception e) {
                log.error("Checkpoint at {} failed unexpectedly", position, e);
                return Outcome.FAILED;
            }
            try {
                Thread.sleep(backoff); // backoff between retries of an external call
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Outcome.FAILED;
            }
            backoff *= 2;
        }
    }
}
