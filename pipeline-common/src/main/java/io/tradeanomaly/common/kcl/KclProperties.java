package io.tradeanomaly.common.kcl;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.metrics.MetricsLevel;

/**
 * How the services' Kinesis Client Library consumers run. The defaults suit real AWS; tests shorten the lease
 * timings. The stream and application (lease table) names belong to each service.
 *
 * @param retrieval POLLING (GetRecords, the default and the only mode that survives resharding on the local stack)
 *     or FANOUT (enhanced fan-out, SubscribeToShard; real AWS only)
 * @param pollingIdleTime pause between GetRecords calls per shard: lower means lower latency but more calls (AWS
 *     allows 5 GetRecords calls per second per shard, shared by all polling consumers)
 * @param pollingMaxRecords records per GetRecords call (max 10000)
 * @param initialPosition where a consumer starts on a shard that has no checkpoint yet
 * @param failoverTime a lease not renewed for this long may be taken by another worker
 * @param leaseAssignmentInterval how often the leader assigns leases; unset = KCL's default (2 x failover time)
 * @param leaderLeaseDuration how long the leader lock lasts; governs recovery after the leader crashes
 * @param shardSyncInterval how often the leader checks the lease table covers the stream's shards and creates the
 *     missing leases; KCL also pauses this long after the first sync of a new application (KCL's default: 60 s)
 * @param parentShardPollInterval how often a child shard checks whether its parents are finished
 * @param dispatchPollInterval how often the scheduler loop looks for new work
 * @param shutdownTimeout bound on graceful shutdown; after it the scheduler is stopped without waiting
 * @param createLeaseTable create the lease table with its LeaseOwnerToLeaseKeyIndex before KCL starts (dynalite
 *     cannot add the index later; on AWS this is what KCL would create itself)
 * @param metrics where KCL's own metrics go: NONE, MICROMETER (Prometheus, {@code kcl_*}) or CLOUDWATCH
 * @param metricsLevel detail of KCL metrics when they are on
 * @param workerId this worker's identity in the lease table; unset = host name plus a random suffix
 * @param stalledAfter readiness turns DOWN when a shard has had records to hand on and made no progress for this long
 * @param poisonAfter a batch whose processing failed this many times on this worker is a poison batch: its records go
 *     to the dead letters with the failure as their reason, and the shard moves on
 */
@ConfigurationProperties("pipeline.kcl")
@Validated
public record KclProperties(
        @DefaultValue("POLLING") @NotNull Retrieval retrieval,
        @DefaultValue("200ms") @NotNull Duration pollingIdleTime,
        @DefaultValue("10000") @Min(1) @Max(10000) int pollingMaxRecords,
        @DefaultValue("TRIM_HORIZON") @NotNull InitialPositionInStream initialPosition,
        @DefaultValue("10s") @NotNull Duration failoverTime,
        Duration leaseAssignmentInterval,
        @DefaultValue("120s") @NotNull Duration leaderLeaseDuration,
        @DefaultValue("10s") @NotNull Duration shardSyncInterval,
        @DefaultValue("10s") @NotNull Duration parentShardPollInterval,
        @DefaultValue("1s") @NotNull Duration dispatchPollInterval,
        @DefaultValue("30s") @NotNull Duration shutdownTimeout,
        @DefaultValue("true") boolean createLeaseTable,
        @DefaultValue("MICROMETER") @NotNull Metrics metrics,
        @DefaultValue("SUMMARY") @NotNull MetricsLevel metricsLevel,
        String workerId,
        @DefaultValue("5m") @NotNull Duration stalledAfter,
        @DefaultValue("5") @Min(2) int poisonAfter) {

    /** How records are fetched. */
    public enum Retrieval {
        POLLING,
        FANOUT
    }

    /** Where KCL's metrics go. */
    public enum Metrics {
        NONE,
        MICROMETER,
        CLOUDWATCH
    }

    /** Defaults, for code that builds consumers without Spring (tests, tools). */
    public static KclProperties defaults() {
        return new KclProperties(
                Retrieval.POLLING,
                Duration.ofMillis(200),
                10000,
                InitialPositionInStream.TRIM_HORIZON,
                Duration.ofSeconds(10),
                null,
                Duration.ofSeconds(120),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(30),
                true,
                Metrics.MICROMETER,
                MetricsLevel.SUMMARY,
                null,
                Duration.ofMinutes(5),
                5);
    }

    /** Short failover and leader timings, for tests and fault drills. */
    public KclProperties withFastFailover() {
        return new KclProperties(
                retrieval,
                pollingIdleTime,
                pollingMaxRecords,
                initialPosition,
                Duration.ofSeconds(3),
                Duration.ofSeconds(1),
                Duration.ofSeconds(10),
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofMillis(200),
                shutdownTimeout,
                createLeaseTable,
                metrics,
                metricsLevel,
                workerId,
                stalledAfter,
                poisonAfter);
    }
}
