package io.tradeanomaly.common.kcl;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.leases.Lease;

/**
 * One running KCL consumer: the Scheduler on its own thread, started with the application context and shut down
 * gracefully (processors get {@code shutdownRequested} and checkpoint) within a bounded time, after which the worker
 * removes its WorkerMetricStats entry so that the lease balancer stops counting it. As a health indicator (readiness)
 * it is UP once the worker is started and able to take work (its lease coordinator runs), whether or not it holds a
 * lease yet: during a rolling update the old replica holds every lease until it stops, and KCL moves them; readiness
 * that waited for a lease would keep the new replica unready for ever.
 */
public class KclConsumer implements SmartLifecycle, HealthIndicator, LeaseView {

    private static final Logger log = LoggerFactory.getLogger(KclConsumer.class);

    private final String applicationName;
    private final String streamName;
    private final Supplier<Scheduler> schedulerFactory;
    private final String workerId;
    private final Runnable beforeStart;
    private final Runnable afterStop;
    private final Duration shutdownTimeout;

    private volatile Scheduler scheduler;
    private volatile Thread thread;
    private volatile Throwable failure;
    private volatile boolean running;
    private volatile boolean stopping;

    KclConsumer(
            String applicationName,
            String streamName,
            String workerId,
            Runnable beforeStart,
            Supplier<Scheduler> schedulerFactory,
            Runnable afterStop,
            Duration shutdownTimeout) {
        this.applicationName = applicationName;
        this.streamName = streamName;
        this.workerId = workerId;
        this.beforeStart = beforeStart;
        this.schedulerFactory = schedulerFactory;
        this.afterStop = afterStop;
        this.shutdownTimeout = shutdownTimeout;
    }

    public String applicationName() {
        return applicationName;
    }

    public String streamName() {
        return streamName;
    }

    /** This worker's id in the lease table: lease owner and WorkerMetricStats key. */
    public String workerId() {
        return workerId;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        stopping = false;
        failure = null;
        thread = new Thread(this::run, "kcl-" + applicationName);
        thread.start();
    }

    private void run() {
        try {
            beforeStart.run();
            Scheduler created = schedulerFactory.get();
            scheduler = created;
            if (!running) {
                return;
            }
            log.info("KCL consumer {} starting on stream {}", applicationName, streamName);
            created.run();
            log.info("KCL consumer {} stopped", applicationName);
        } catch (Throwable e) {
            failure = e;
            log.error("KCL consumer {} failed", applicationName, e);
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        stopping = true;
        Scheduler current = scheduler;
        if (current != null) {
            try {
                Future<Boolean> done = current.startGracefulShutdown();
                if (!done.get(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("KCL consumer {} did not shut down gracefully", applicationName);
                }
            } catch (TimeoutException e) {
                log.warn(
                        "KCL consumer {} graceful shutdown took longer than {}; stopping",
                        applicationName,
                        shutdownTimeout);
                current.shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                current.shutdown();
            } catch (Exception e) {
                log.warn("KCL consumer {} graceful shutdown failed; stopping", applicationName, e);
                current.shutdown();
            }
        }
        Thread t = thread;
        if (t != null) {
            try {
                t.join(shutdownTimeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (current != null) {
            afterStop.run(); // the leader stops offering this worker leases it would never take up
        }
    }

    /**
     * Stops at once, like a crash: no graceful shutdown, no final checkpoint, leases left to expire. Whatever was
     * processed since the last checkpoint is replayed by the shard's next owner. For fault drills and tests.
     */
    public synchronized void abort() {
        running = false;
        stopping = true;
        Scheduler current = scheduler;
        if (current != null) {
            current.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stop late, after the web server and before the beans processors use are destroyed. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }

    /** Shard ids whose leases this worker holds now. */
    public List<String> heldShards() {
        Scheduler current = scheduler;
        if (current == null) {
            return List.of();
        }
        return current.leaseCoordinator().getAssignments().stream()
                .map(Lease::leaseKey)
                .sorted()
                .toList();
    }

    /**
     * True while this worker holds the shard's lease and is not shutting down: a processor retrying a hand-off uses
     * it to know when to give up (without checkpointing) and let the shard's next owner replay.
     */
    @Override
    public boolean holds(String shardId) {
        Scheduler current = scheduler;
        return !stopping && current != null && current.leaseCoordinator().getCurrentlyHeldLease(shardId) != null;
    }

    @Override
    public boolean stopping() {
        return stopping;
    }

    @Override
    public void release(String shardId) {
        Scheduler current = scheduler;
        Lease lease = current == null ? null : current.leaseCoordinator().getCurrentlyHeldLease(shardId);
        if (lease != null) {
            log.warn(
                    "Releasing the lease of shard {} without a checkpoint: it is replayed from its last checkpoint",
                    shardId);
            current.leaseCoordinator().dropLease(lease);
        }
    }

    @Override
    public List<String> parents(String shardId) {
        Scheduler current = scheduler;
        Lease lease = current == null ? null : current.leaseCoordinator().getCurrentlyHeldLease(shardId);
        return lease == null || lease.parentShardIds() == null ? List.of() : List.copyOf(lease.parentShardIds());
    }

    @Override
    public Health health() {
        Health.Builder health =
                new Health.Builder().withDetail("application", applicationName).withDetail("stream", streamName);
        if (failure != null) {
            return health.down(failure).build();
        }
        Scheduler current = scheduler;
        if (!running || current == null || !current.leaseCoordinator().isRunning()) {
            return health.down().withDetail("reason", "not started").build();
        }
        return health.up().withDetail("shards", heldShards()).build();
    }
}
