package io.tradeanomaly.archiver.storage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tradeanomaly.common.record.RejectReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * What the archiver has done, for {@code GET /api/archiver/status}, its metrics and its S3 health: DOWN when one
 * shard's S3 calls have been failing for longer than a bound (per shard: another shard writing does not hide it).
 * Thread-safe; shared by all shard processors.
 */
public class ArchiveStatus implements HealthIndicator {

    /** One shard's buffer, as last reported by its processor. */
    public record ShardState(int bufferedRecords, long bufferedBytes) {}

    /** The status document. */
    public record Snapshot(
            Map<String, ShardState> shards,
            long objectsWritten,
            long anomaliesArchived,
            long duplicatesDropped,
            Instant lastFlush,
            String lastKey,
            String lastError,
            Instant failingSince) {}

    private final Clock clock;
    private final Duration unhealthyAfter;
    private final Map<String, ShardState> shards = new ConcurrentHashMap<>();
    private final Counter objects;
    private final Counter archived;
    private final Counter duplicates;
    private final Counter s3Errors;
    private final Counter beyondHorizon;
    private final Timer flushes;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private volatile Instant lastFlush;
    private volatile String lastKey;
    private volatile String lastError;
    /** Per shard, since when its S3 calls have failed without one succeeding. */
    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    public ArchiveStatus(MeterRegistry registry, Clock clock, Duration unhealthyAfter) {
        this.clock = clock;
        this.unhealthyAfter = unhealthyAfter;
        this.objects = Counter.builder("archive.objects.written")
                .description("Archive objects written to S3")
                .register(registry);
        this.archived = Counter.builder("anomalies.archived")
                .description("Anomalies written to the archive")
                .register(registry);
        this.duplicates = Counter.builder("archive.duplicates.dropped")
                .description("Anomalies dropped because their trade id was archived within the dedupe horizon")
                .register(registry);
        this.beyondHorizon = Counter.builder("archive.dedupe.horizon.exceeded")
                .description("Anomalies whose source record arrived more than dedupe-horizon before the latest one seen"
                        + " from its source shard: a repeat of such an anomaly could no longer be told")
                .register(registry);
        this.s3Errors = Counter.builder("archive.s3.errors")
                .description("Failed S3 writes (retried)")
                .register(registry);
        this.flushes = Timer.builder("archive.flush")
                .description("Time to write one object to S3")
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder(
                        "archive.buffered.records",
                        shards,
                        s -> s.values().stream()
                                .mapToInt(ShardState::bufferedRecords)
                                .sum())
                .description("Anomalies buffered and not yet written")
                .register(registry);
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(
                    reason,
                    Counter.builder("records.rejected")
                            .description("Records not archived, by reason (written under the error prefix)")
                            .tag("service", "s3-archiver")
                            .tag("reason", reason.tag())
                            .register(registry));
        }
    }

    public void buffered(String shardId, int records, long bytes) {
        shards.put(shardId, new ShardState(records, bytes));
    }

    public void shardGone(String shardId) {
        shards.remove(shardId);
        failingSince.remove(shardId);
    }

    /** An object of the shard is stored. */
    public void written(String shardId, String key, int records, long nanos) {
        objects.increment();
        archived.increment(records);
        flushes.record(Duration.ofNanos(nanos));
        lastFlush = clock.instant();
        lastKey = key;
        succeeded(shardId);
    }

    /** An S3 call made for the shard succeeded. */
    public void succeeded(String shardId) {
        failingSince.remove(shardId);
    }

    /** An S3 call made for the shard failed (it is retried). */
    public void failed(String shardId, String what, Exception error) {
        s3Errors.increment();
        lastError = clock.instant() + " " + shardId + " " + what + ": " + error;
        failingSince.putIfAbsent(shardId, clock.instant());
    }

    /** Since when the longest-failing shard has failed, null when none is failing. */
    private Instant oldestFailure() {
        return failingSince.values().stream().min(Instant::compareTo).orElse(null);
    }

    /** An anomaly older than the dedupe horizon of its source shard was archived (it may repeat an older one). */
    public void beyondDedupeHorizon() {
        beyondHorizon.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public Snapshot snapshot() {
        return new Snapshot(
                new TreeMap<>(shards),
                (long) objects.count(),
                (long) archived.count(),
                (long) duplicates.count(),
                lastFlush,
                lastKey,
                lastError,
                oldestFailure());
    }

    @Override
    public Health health() {
        Instant since = oldestFailure();
        if (since != null && Duration.between(since, clock.instant()).compareTo(unhealthyAfter) > 0) {
            return Health.down()
                    .withDetail("failingSince", since)
                    .withDetail("failingShards", new TreeMap<>(failingSince))
                    .withDetail("lastError", lastError)
                    .build();
        }
        return Health.up().withDetail("lastFlush", String.valueOf(lastFlush)).build();
    }
}
