package io.tradeanomaly.detector.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.detector.consuming.ScoreWindow;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import java.time.Clock;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Samples the pipeline every 5 s for the live page's charts: this detector's own counters, its recent scores, and
 * the producer's and the archiver's figures from their {@code /actuator/prometheus} (polled asynchronously, so a
 * service that hangs never delays the page or the other samples).
 */
public class PipelineHealth {

    static final long INTERVAL_MILLIS = 5000;

    private final MeterRegistry registry;
    private final DetectorSettingsStore settings;
    private final ShardLagMetrics lag;
    private final ScoreWindow scores;
    private final RemoteMetrics producer;
    private final RemoteMetrics archiver;
    private final HealthHistory history;
    private final Clock clock;

    public PipelineHealth(
            MeterRegistry registry,
            DetectorSettingsStore settings,
            ShardLagMetrics lag,
            ScoreWindow scores,
            RemoteMetrics producer,
            RemoteMetrics archiver,
            HealthHistory history,
            Clock clock) {
        this.registry = registry;
        this.settings = settings;
        this.lag = lag;
        this.scores = scores;
        this.producer = producer;
        this.archiver = archiver;
        this.history = history;
        this.clock = clock;
    }

    /** Records a sample with the services' latest answers, then asks them again (answers come in the background). */
    @Scheduled(fixedRate = INTERVAL_MILLIS, initialDelay = 1000)
    public void sample() {
        history.add(new HealthHistory.Sample(
                clock.instant(),
                count("trades.scored"),
                count("anomalies.published"),
                lag.maxMillisBehind(),
                settings.threshold(),
                scores.takeOrdinary(),
                producer.fresh().orElse(null),
                archiver.fresh().orElse(null)));
        producer.poll();
        archiver.poll();
    }

    public HealthSeries series() {
        return history.series(scores.points(clock.instant()));
    }

    public PipelineFigures figures() {
        RemoteMetrics.Reading archived = archiver.fresh().orElse(null);
        return new PipelineFigures(
                producer.status(),
                round(history.producedPerSecond()),
                archiver.status(),
                archived == null ? null : archived.value(HealthHistory.ARCHIVED),
                archived == null ? null : archived.value(HealthHistory.OBJECTS),
                archived == null ? null : archived.value(HealthHistory.LAG));
    }

    private double count(String name) {
        Counter counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 10) / 10.0;
    }
}
