package io.tradeanomaly.common.kcl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-shard consumer metrics: {@code kcl_millis_behind_latest{shard}}, how far each shard's consumer is behind the
 * stream's tip, and {@code kcl_processor_failures_total}, shard processors that failed and gave their shard up.
 */
public final class ShardLagMetrics {

    public static final String NAME = "kcl.millis.behind.latest";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    private final Counter failures;

    public ShardLagMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.failures = Counter.builder("kcl.processor.failures")
                .description("Shard processors that failed (an exception) and released their shard for a replay")
                .register(registry);
    }

    /** Counts a shard processor that failed and released its shard. */
    public void processorFailed() {
        failures.increment();
    }

    /** Records the lag reported with a batch; KCL reports null when it does not know. */
    public void record(String shardId, Long millisBehindLatest) {
        if (millisBehindLatest == null) {
            return;
        }
        lag.computeIfAbsent(shardId, this::register).set(millisBehindLatest);
    }

    /** Forgets a shard this worker no longer owns. */
    public void remove(String shardId) {
        lag.remove(shardId);
        Gauge gauge = gauges.remove(shardId);
        if (gauge != null) {
            registry.remove(gauge);
        }
    }

    /** The highest lag over the shards this worker owns, 0 when it owns none. */
    public long maxMillisBehind() {
        return lag.values().stream().mapToLong(AtomicLong::get).max().orElse(0);
    }

    private AtomicLong register(String shardId) {
        AtomicLong value = new AtomicLong();
        gauges.put(
                shardId,
                Gauge.builder(NAME, value, AtomicLong::doubleValue)
                        .description("How far this shard's consumer is behind the tip of the stream")
                        .tag("shard", shardId)
                        .register(registry));
        return value;
    }
}
