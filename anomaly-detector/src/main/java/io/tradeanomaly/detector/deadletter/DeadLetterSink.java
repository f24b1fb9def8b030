package io.tradeanomaly.detector.deadletter;

import io.tradeanomaly.common.deadletter.DeadLetter;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Where records that cannot be scored go, durably, before their batch is checkpointed. */
public interface DeadLetterSink {

    /**
     * Writes one batch's dead letters, retrying while {@code keepTrying} holds.
     *
     * @return true when they are durable; false when it gave up because {@code keepTrying} turned false
     */
    boolean write(String shardId, List<DeadLetter> letters, BooleanSupplier keepTrying);
}
