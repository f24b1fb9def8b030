package io.tradeanomaly.common.kcl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-shard consumer metrics, shared by a worker's shard processors:
 *
 * <ul>
 *   <li>{@code kcl_millis_behind_latest{shard}}: how far the shard's consumer is behind the stream's tip, as its last
 *       batch reported it;
 *   <li>{@code kcl_oldest_unhandled_record_age_seconds{shard}}: how long ago the oldest record the processor received
 *       and has not yet handed on arrived on the stream, computed when read: it keeps growing while a shard is stuck
 *       (a batch retrying a hand-off that keeps failing), where the lag only changes when a batch starts;
 *   <li>{@code kcl_processor_failures_total}: shard processors that failed and gave their shard up;
 *   <li>{@code kcl_handoff_failures_total{kind}}: failed attempts to hand records on ({@code s3}: the archiver's
 *       writes and reads, {@code dead-letters}: the detector's, {@code publish}: the detector's PutRecords of
 *       anomalies), each retried (a failed PutRecords entry is also counted in
 *       {@code kinesis_put_retried_records_total});
 * </ul>
 *
 * and when each shard last made progress ({@link #stalled}), for the health indicator that turns readiness DOWN when a
 * shard with records to hand on makes none.
 */
public final class ShardLagMetrics {

    public static final String NAME = "kcl.millis.behind.latest";
    public static final String AGE = "kcl.oldest.unhandled.record.age";

    /** The kinds of hand-off, counted from 0 so that a failure shows as an increase. */
    public static final List<String> HAND_OFF_KINDS = List.of("s3", "dead-letters", "publish");

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, Progress> progress = new ConcurrentHashMap<>();
    private final Map<String, Counter> handOffFailures = new ConcurrentHashMap<>();

    private final Counter failures;
    private final Counter poisonBatches;
    /** Failed attempts per shard and batch start ({@code shard@sequence/sub}), this worker's, until one succeeds. */
    private final Map<String, Integer> failedAttempts = new ConcurrentHashMap<>();
    /** What the last failed attempt of each such batch threw. */
    private final Map<String, String> lastFailures = new ConcurrentHashMap<>();

    private volatile int poisonAfter = 5;

    public ShardLagMetrics(MeterRegistry registry) {
        this(registry, Clock.systemUTC());
    }

    public ShardLagMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.failures = Counter.builder("kcl.processor.failures")
                .description("Shard processors that failed (an exception) and released their shard for a replay")
                .register(registry);
        this.poisonBatches = Counter.builder("kcl.poison.batches")
                .description(
                        "Batches that failed kcl.poison-after times and were dead-lettered so that the shard moves on")
                .register(registry);
        HAND_OFF_KINDS.forEach(this::handOffCounter);
    }

    /** After how many failed attempts of one batch it is taken for a poison batch (at least 2). */
    public void poisonAfter(int attempts) {
        this.poisonAfter = Math.max(2, attempts);
    }

    /** A batch starting at {@code start} failed once more on this worker, with this failure. */
    void batchFailed(String shardId, String start, String failure) {
        failedAttempts.merge(shardId + "@" + start, 1, Integer::sum);
        lastFailures.put(shardId + "@" + start, failure);
    }

    /** What the last failed attempt of the batch starting at {@code start} threw. */
    String lastFailure(String shardId, String start) {
        return lastFailures.getOrDefault(shardId + "@" + start, "failed on earlier attempts");
    }

    /** True when the batch starting at {@code start} has failed often enough to be a poison batch. */
    boolean isPoison(String shardId, String start) {
        return failedAttempts.getOrDefault(shardId + "@" + start, 0) >= poisonAfter;
    }

    /** The batch starting at {@code start} was handed on (or dead-lettered as poison): forget its failures. */
    void batchDone(String shardId, String start) {
        if (!failedAttempts.isEmpty()) {
            failedAttempts.remove(shardId + "@" + start);
            lastFailures.remove(shardId + "@" + start);
        }
    }

    /** Counts a poison batch moved to the dead letters. */
    void poisonBatch() {
        poisonBatches.increment();
    }

    /** Counts a shard processor that failed and released its shard. */
    public void processorFailed() {
        failures.increment();
    }

    /** Counts a failed attempt to hand records on, by kind ({@link #HAND_OFF_KINDS}). */
    public void handOffFailed(String kind) {
        handOffCounter(kind).increment();
    }

    private Counter handOffCounter(String kind) {
        return handOffFailures.computeIfAbsent(
                kind,
                k -> Counter.builder("kcl.handoff.failures")
                        .description("Failed attempts to hand records on (each is retried), by kind")
                        .tag("kind", k)
                        .register(registry));
    }

    /** Records the lag reported with a batch; KCL reports null when it does not know. */
    public void record(String shardId, Long millisBehindLatest) {
        if (millisBehindLatest == null) {
            return;
        }
        lag.computeIfAbsent(shardId, this::register).set(millisBehindLatest);
    }

    /**
     * A batch arrived whose oldest record arrived at {@code oldest}: its records are not handed on yet (the oldest
     * unhandled record stays the earlier one if some are still pending).
     */
    public void received(String shardId, Instant oldest) {
        Progress shard = progress(shardId);
        if (shard.oldestPending == null) {
            shard.oldestPending = oldest == null ? clock.instant() : oldest;
        }
    }

    /**
     * What the shard's processor still has not handed on after a batch or a hand-off: the arrival time of its oldest
     * such record, null when everything received is handed on. Progress is made when that moved forward.
     */
    public void pending(String shardId, Instant oldest) {
        Progress shard = progress(shardId);
        Instant before = shard.oldestPending;
        shard.oldestPending = oldest;
        if (oldest == null || before == null || oldest.isAfter(before)) {
            shard.lastProgress = clock.instant();
        }
    }

    /** Shards that have had records to hand on and made no progress for longer than {@code bound}, with since when. */
    public Map<String, Instant> stalled(Duration bound) {
        Instant now = clock.instant();
        Map<String, Instant> stalled = new TreeMap<>();
        progress.forEach((shardId, shard) -> {
            Instant since = shard.lastProgress;
            if (shard.oldestPending != null
                    && since != null
                    && Duration.between(since, now).compareTo(bound) > 0) {
                stalled.put(shardId, since);
            }
        });
        return stalled;
    }

    /** Forgets a shard this worker no longer owns. */
    public void remove(String shardId) {
        lag.remove(shardId);
        progress.remove(shardId);
        for (String key : new String[] {"lag:" + shardId, "age:" + shardId}) {
            Gauge gauge = gauges.remove(key);
            if (gauge != null) {
                registry.remove(gauge);
            }
        }
    }

    /** The highest lag over the shards this worker owns, 0 when it owns none. */
    public long maxMillisBehind() {
        return lag.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
    }

    /** Seconds since the oldest record of the shard not yet handed on arrived; 0 when there is none. */
    double oldestUnhandledAgeSeconds(String shardId) {
        Progress shard = progress.get(shardId);
        Instant oldest = shard == null ? null : shard.oldestPending;
        return oldest == null
                ? 0
                : Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
    }

    private Progress progress(String shardId) {
        return progress.computeIfAbsent(shardId, id -> {
            gauges.put(
                    "age:" + id,
                    Gauge.builder(AGE, () -> oldestUnhandledAgeSeconds(id))
                            .description("How long ago the oldest record this worker received from the shard and has"
                                    + " not yet handed on arrived on the stream (0: none)")
                            .baseUnit("seconds")
                            .tag("shard", id)
                            .register(registry));
            Progress created = new Progress();
            created.lastProgress = clock.instant();
            return created;
        });
    }

    private AtomicLong register(String shardId) {
        AtomicLong value = new AtomicLong();
        gauges.put(
                "lag:" + shardId,
                Gauge.builder(NAME, value, AtomicLong::doubleValue)
                        .description("How far this shard's consumer is behind the tip of the stream")
                        .tag("shard", shardId)
                        .register(registry));
        return value;
    }

    private static final class Progress {
        volatile Instant oldestPending;
        volatile Instant lastProgress;
    }
}
