package software.amazon.kinesis.coordinator;

import software.amazon.kinesis.checkpoint.CheckpointConfig;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.lifecycle.LifecycleConfig;
import software.amazon.kinesis.metrics.MetricsConfig;
import software.amazon.kinesis.processor.ProcessorConfig;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/**
 * KCL's Scheduler without its start-up pause. On an empty lease table KCL 3.x waits a random 1–30 s before the first
 * shard sync ({@code Scheduler.shouldInitiateLeaseSync}), so that a large fleet starting at once does not all list the
 * shards; the sync itself is still done by the elected leader only. This pipeline runs a handful of workers, so the
 * pause only delays every fresh start (the local run, each integration test, a new deployment) by 15 s on average.
 * It lives in KCL's package because the method it overrides is package-private; the one place the pipeline creates a
 * Scheduler ({@code KclConsumerFactory}) uses it.
 */
public class PromptStartScheduler extends Scheduler {

    public PromptStartScheduler(
            CheckpointConfig checkpointConfig,
            CoordinatorConfig coordinatorConfig,
            LeaseManagementConfig leaseManagementConfig,
            LifecycleConfig lifecycleConfig,
            MetricsConfig metricsConfig,
            ProcessorConfig processorConfig,
            RetrievalConfig retrievalConfig) {
        super(
                checkpointConfig,
                coordinatorConfig,
                leaseManagementConfig,
                lifecycleConfig,
                metricsConfig,
                processorConfig,
                retrievalConfig);
    }

    @Override
    boolean shouldInitiateLeaseSync() {
        return true; // the leader syncs the shards at once (idempotent when the table already holds leases)
    }
}
