package io.tradeanomaly.common.kcl;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Locale;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.kinesis.metrics.MetricsFactory;
import software.amazon.kinesis.metrics.MetricsLevel;
import software.amazon.kinesis.metrics.MetricsScope;

/**
 * Bridges KCL's own metrics to Micrometer (and so to Prometheus as {@code kcl_<name>}) instead of CloudWatch. Each
 * datum becomes a distribution summary tagged with KCL's {@code Operation} dimension; shard and worker dimensions are
 * dropped to keep the number of series bounded (per-shard lag is exported by {@link ShardLagMetrics}).
 */
public final class MicrometerMetricsFactory implements MetricsFactory {

    /** KCL metrics the pipeline exports itself, per shard (see {@link ShardLagMetrics}). */
    private static final java.util.Set<String> OWN_METRICS = java.util.Set.of("MillisBehindLatest");

    private final MeterRegistry registry;
    private final MetricsLevel level;

    public MicrometerMetricsFactory(MeterRegistry registry, MetricsLevel level) {
        this.registry = registry;
        this.level = level;
    }

    @Override
    public MetricsScope createMetrics() {
        return new Scope();
    }

    static String meterName(String kclName) {
        String snake = kclName.replaceAll("([a-z0-9])([A-Z])", "$1.$2").replace('_', '.');
        return "kcl." + snake.toLowerCase(Locale.ROOT);
    }

    private final class Scope implements MetricsScope {
        private String operation = "none";

        @Override
        public void addData(String name, double value, StandardUnit unit) {
            addData(name, value, unit, MetricsLevel.DETAILED);
        }

        @Override
        public void addData(String name, double value, StandardUnit unit, MetricsLevel dataLevel) {
            if (level == MetricsLevel.NONE || dataLevel.getValue() < level.getValue() || OWN_METRICS.contains(name)) {
                return;
            }
            DistributionSummary.builder(meterName(name))
                    .tags(Tags.of("operation", operation))
                    .baseUnit(unit == null ? null : unit.toString().toLowerCase(Locale.ROOT))
                    .register(registry)
                    .record(value);
        }

        @Override
        public void addDimension(String name, String value) {
            if ("Operation".equals(name) && value != null) {
                operation = value;
            }
        }

        @Override
        public void end() {
            // Each datum was recorded when added; nothing is buffered.
        }
    }
}
