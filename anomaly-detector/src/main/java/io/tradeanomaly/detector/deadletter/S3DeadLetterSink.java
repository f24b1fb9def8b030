package io.tradeanomaly.detector.deadletter;

import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.deadletter.DeadLetters;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Dead letters in S3 ({@link DeadLetters}: one object per shard and arrival minute under
 * {@code errors/anomaly-detector/}, merged by sequence number, so that a replayed batch writes nothing twice). S3
 * failures are retried with backoff as long as the shard is the caller's.
 */
public class S3DeadLetterSink implements DeadLetterSink {

    private static final Backoff RETRY = Backoff.untilStopped(Duration.ofMillis(200), Duration.ofSeconds(10));

    private final DeadLetters letters;

    public S3DeadLetterSink(DeadLetters letters) {
        this.letters = letters;
    }

    @Override
    public boolean write(String shardId, List<DeadLetter> batch, BooleanSupplier keepTrying) {
        try {
            Retries.call(
                    "Writing " + batch.size() + " dead letter(s) of " + shardId,
                    RETRY,
                    keepTrying,
                    e -> e instanceof RuntimeException,
                    () -> {
                        letters.write(shardId, batch);
                        return null;
                    });
            return true;
        } catch (Retries.GaveUpException e) {
            return false;
        }
    }
}
