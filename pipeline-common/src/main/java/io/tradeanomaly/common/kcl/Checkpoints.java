package io.tradeanomaly.common.kcl;

import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;

/**
 * The one checkpoint method of the pipeline (processors call it through {@link ShardProcessorSupport}). It treats
 * KCL's failures differently: a lost lease ends the work on the shard (another worker owns it now; retrying would be
 * wrong), throttling and DynamoDB trouble are retried with backoff a bounded number of times, an invalid state is
 * logged as an error.
 */
public final class Checkpoints {

    /** What became of a checkpoint. */
    public enum Outcome {
        /** Written. */
        DONE,
        /** The lease is gone; stop processing this shard without checkpointing. */
        LEASE_LOST,
        /**
         * Not written after retries. KCL does not deliver the records again: they stay uncheckpointed until a later
         * checkpoint covers them, or the shard's next owner (after a crash, a lost lease) replays them.
         */
        FAILED,
        /** Not attempted: the processor stopped (lease lost) or failed, and must not checkpoint any more. */
        REFUSED
    }

    private static final Logger log = LoggerFactory.getLogger(Checkpoints.class);
    private static final Backoff BACKOFF = new Backoff(5, Duration.ofMillis(100), Duration.ofSeconds(2));

    private Checkpoints() {}

    /** Checkpoints up to and including the given record position. */
    static Outcome checkpoint(RecordProcessorCheckpointer checkpointer, String sequenceNumber, long subSequenceNumber) {
        return run(() -> checkpointer.checkpoint(sequenceNumber, subSequenceNumber), sequenceNumber);
    }

    /** Checkpoints everything delivered so far; at shard end this records SHARD_END. */
    static Outcome checkpointAll(RecordProcessorCheckpointer checkpointer) {
        return run(checkpointer::checkpoint, "latest");
    }

    private interface Call {
        void run() throws Exception;
    }

    private static Outcome run(Call call, String position) {
        try {
            Retries.call(
                    "Checkpoint at " + position,
                    BACKOFF,
                    () -> true,
                    e -> e instanceof ThrottlingException || e instanceof KinesisClientLibDependencyException,
                    () -> {
                        call.run();
                        return null;
                    });
            return Outcome.DONE;
        } catch (Exception e) {
            if (e instanceof ShutdownException) {
                log.info("Lease lost before checkpoint at {}; another worker continues from its checkpoint", position);
                return Outcome.LEASE_LOST;
            }
            if (e instanceof InvalidStateException) {
                log.error("Checkpoint at {} failed: invalid state (lease table problem?)", position, e);
            } else if (e instanceof Retries.GaveUpException) {
                log.error("Checkpoint at {} failed; the records stay uncheckpointed", position, e);
            } else {
                log.error("Checkpoint at {} failed", position, e);
            }
            return Outcome.FAILED;
        }
    }
}
