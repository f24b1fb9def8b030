package io.tradeanomaly.common.kinesis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter, bounded by a number of attempts.
 *
 * @param maxAttempts attempts in all, the first one included
 * @param baseBackoff backoff before the second attempt (before jitter)
 * @param maxBackoff cap of any single backoff
 */
public record RetryPolicy(int maxAttempts, Duration baseBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(8, Duration.ofMillis(100), Duration.ofSeconds(5));
    }

    /** The pause before attempt {@code attempt + 1}, after {@code attempt} failed attempts (full jitter). */
    public long backoffMillis(int attempt) {
        long ceiling = Math.min(
                maxBackoff.toMillis(), baseBackoff.toMillis() * (1L << Math.min(20, Math.max(0, attempt - 1))));
        return ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
    }
}
