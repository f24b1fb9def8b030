package io.tradeanomaly.detector.deadletter;

import io.tradeanomaly.common.deadletter.DeadLetter;
import java.util.List;

/**
 * Where records that cannot be scored go, durably, before their batch's anomalies are published and it is
 * checkpointed: in S3, {@link io.tradeanomaly.common.deadletter.DeadLetters}. One attempt per call; the shard processor
 * retries it with its owner-bounded hand-off.
 */
@FunctionalInterface
public interface DeadLetterSink {

    /**
     * Stores one batch's dead letters; returns only when they are durable.
     *
     * @throws RuntimeException when they could not be stored (the caller retries)
     */
    void write(String shardId, List<DeadLetter> letters);
}
