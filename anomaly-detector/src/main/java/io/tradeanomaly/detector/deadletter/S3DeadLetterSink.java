package io.tradeanomaly.detector.deadletter;

import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.deadletter.DeadLetters;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Dead letters in S3 ({@link DeadLetters}: one object per shard and arrival minute under
 * {@code errors/anomaly-detector/}, merged by sequence and sub-sequence number, so that a replayed batch writes
 * nothing twice). S3 failures are retried with the pipeline's hand-off backoff ({@link Backoff#HAND_OFF}) as long as
 * the shard is the caller's, each counted in {@code kcl_handoff_failures_total{kind="dead-letters"}}.
 */
public class S3DeadLetterSink implements DeadLetterSink {

    private final DeadLetters letters;
    private final ShardLagMetrics shards;

    public S3DeadLetterSink(DeadLetters letters, ShardLagMetrics shards) {
        this.letters = letters;
        this.shards = shards;
    }

    @Override
    public boolean write(String shardId, List<DeadLetter> batch, BooleanSupplier keepTrying) {
        try {
            Retries.call(
                    "Writing " + batch.size() + " dead letter(s) of " + shardId,
                    Backoff.HAND_OFF,
                    keepTrying,
                    e -> e instanceof RuntimeException,
                    () -> {
                        try {
                            letters.write(shardId, batch);
                        } catch (RuntimeException e) {
                            shards.handOffFailed("dead-letters");
                            throw e;
                        }
                        return null;
                    });
            return true;
        } catch (Retries.GaveUpException e) {
            return false;
        }
    }
}
