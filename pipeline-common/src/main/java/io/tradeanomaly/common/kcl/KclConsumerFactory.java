package io.tradeanomaly.common.kcl;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.CoordinatorConfig;
import software.amazon.kinesis.coordinator.PromptStartScheduler;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.leases.LeaseManagementConfig.WorkerUtilizationAwareAssignmentConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.processor.ShardRecordProcessorFactory;
import software.amazon.kinesis.processor.SingleStreamTracker;
import software.amazon.kinesis.retrieval.RetrievalConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/** Builds KCL consumers from {@link KclProperties}: the one place where the pipeline configures a Scheduler. */
public class KclConsumerFactory {

    private final KclProperties properties;
    private final KinesisAsyncClient kinesis;
    private final DynamoDbAsyncClient dynamoDb;
    private final CloudWatchAsyncClient cloudWatch;
    private final MeterRegistry registry;

    public KclConsumerFactory(
            KclProperties properties,
            KinesisAsyncClient kinesis,
            DynamoDbAsyncClient dynamoDb,
            CloudWatchAsyncClient cloudWatch,
            MeterRegistry registry) {
        this.properties = properties;
        this.kinesis = kinesis;
        this.dynamoDb = dynamoDb;
        this.cloudWatch = cloudWatch;
        this.registry = registry;
    }

    public KclProperties properties() {
        return properties;
    }

    /**
     * A consumer of {@code streamName} whose lease table is named {@code applicationName}; nothing runs until it is
     * started (by the application context, as a SmartLifecycle bean).
     */
    public KclConsumer create(String applicationName, String streamName, ShardRecordProcessorFactory processors) {
        Runnable beforeStart = properties.createLeaseTable()
                ? () -> LeaseTables.ensureLeaseTable(dynamoDb, applicationName, Duration.ofMinutes(2))
                : () -> {};
        String workerId = workerId();
        return new KclConsumer(
                applicationName,
                streamName,
                workerId,
                beforeStart,
                () -> scheduler(applicationName, streamName, workerId, processors),
                () -> LeaseTables.forgetWorker(dynamoDb, applicationName, workerId),
                properties.shutdownTimeout());
    }

    Scheduler scheduler(
            String applicationName, String streamName, String workerId, ShardRecordProcessorFactory processors) {
        ConfigsBuilder configs = new ConfigsBuilder(
                new SingleStreamTracker(
                        streamName, InitialPositionInStreamExtended.newInitialPosition(properties.initialPosition())),
                applicationName,
                kinesis,
                dynamoDb,
                cloudWatch,
                workerId,
                processors);

        LeaseManagementConfig leases = configs.leaseManagementConfig()
                .failoverTimeMillis(properties.failoverTime().toMillis())
                .shardSyncIntervalMillis(properties.shardSyncInterval().toMillis())
                .dynamoDbLockBasedLeaderLeaseDurationInMillis(
                        properties.leaderLeaseDuration().toMillis())
                .dynamoDbLockBasedLeaderHeartbeatPeriodInMillis(
                        Math.max(1000, properties.leaderLeaseDuration().toMillis() / 4));
        if (properties.leaseAssignmentInterval() != null) {
            leases.leaseAssignmentIntervalMillis(
                    properties.leaseAssignmentInterval().toMillis());
        }
        // Worker metrics read EC2 instance metadata and cgroup files; lease balancing falls back to throughput.
        WorkerUtilizationAwareAssignmentConfig workers =
                leases.workerUtilizationAwareAssignmentConfig().disableWorkerMetrics(true);
        // The leader counts a worker as live until two of its reports are missed: KCL's default report period (30 s)
        // let it hand leases to a crashed worker for a minute, each such shard idle until its lease expired again.
        // Reporting every half failover time bounds that to about one failover time, the same as a lease.
        workers.workerMetricsReporterFreqInMillis(workerReportMillis(properties.failoverTime(), workers));

        CoordinatorConfig coordinator = configs.coordinatorConfig()
                .parentShardPollIntervalMillis(
                        properties.parentShardPollInterval().toMillis())
                .shardConsumerDispatchPollIntervalMillis(
                        properties.dispatchPollInterval().toMillis());

        MetricsConfig metrics = configs.metricsConfig();
        switch (properties.metrics()) {
            case NONE -> metrics.metricsLevel(MetricsLevel.NONE);
            case MICROMETER ->
                metrics.metricsLevel(properties.metricsLevel())
                        .metricsFactory(new MicrometerMetricsFactory(registry, properties.metricsLevel()));
            case CLOUDWATCH -> metrics.metricsLevel(properties.metricsLevel());
        }

        RetrievalConfig retrieval = configs.retrievalConfig();
        if (properties.retrieval() == KclProperties.Retrieval.POLLING) {
            retrieval.retrievalSpecificConfig(new PollingConfig(streamName, kinesis)
                    .idleTimeBetweenReadsInMillis(properties.pollingIdleTime().toMillis())
                    .maxRecords(properties.pollingMaxRecords()));
        }

        return new PromptStartScheduler( // no random 1-30 s pause before the first shard sync
                configs.checkpointConfig(),
                coordinator,
                leases,
                configs.lifecycleConfig(),
                metrics,
                // empty batches too: they are the archiver's clock for closing an object whose minute is over
                configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
                retrieval);
    }

    /** Half the failover time, and at least twice the in-memory capture period as KCL requires. */
    static long workerReportMillis(Duration failoverTime, WorkerUtilizationAwareAssignmentConfig workers) {
        return Math.max(failoverTime.toMillis() / 2, 2 * workers.inMemoryWorkerMetricsCaptureFrequencyMillis());
    }

    private String workerId() {
        if (properties.workerId() != null && !properties.workerId().isBlank()) {
            return properties.workerId();
        }
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
