package io.tradeanomaly.detector.deadletter;

import java.util.List;

/** Where records that cannot be scored go, durably, before their batch is checkpointed. */
public interface DeadLetterSink {

    /**
     * Writes one batch's dead letters; returns only when they are durable.
     *
     * @throws RuntimeException when they could not be written (the caller retries)
     */
    void write(String shardId, List<DeadLetter> letters);
}
