package io.tradeanomaly.common.retry;

import java.time.Duration;

/**
 * How a failing call is retried: exponential backoff (doubling from {@code first} up to {@code max}, with jitter), at
 * most {@code maxAttempts} attempts in all.
 *
 * @param maxAttempts attempts in all, the first one included; {@link Long#MAX_VALUE} retries until stopped
 * @param first the pause before the second attempt
 * @param max the longest pause
 */
public record Backoff(long maxAttempts, Duration first, Duration max) {

    public Backoff {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1");
        }
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max");
        }
    }

    /**
     * The hand-off of records on behalf of a shard (publish, S3 writes and reads, snapshots): 200 ms doubling to
     * 10 s, for as long as the caller owns the shard.
     */
    public static final Backoff HAND_OFF = untilStopped(Duration.ofMillis(200), Duration.ofSeconds(10));

    /** One attempt, no retry: for a caller that retries on its own terms, or has nothing to retry. */
    public static final Backoff ONCE = new Backoff(1, Duration.ofMillis(1), Duration.ofMillis(1));

    /** Retries for as long as the caller's condition holds (e.g. while it owns the shard). */
    public static Backoff untilStopped(Duration first, Duration max) {
        return new Backoff(Long.MAX_VALUE, first, max);
    }

    /** The producer's default: 8 attempts, 100 ms to 5 s. */
    public static Backoff defaults() {
        return new Backoff(8, Duration.ofMillis(100), Duration.ofSeconds(5));
    }
}
