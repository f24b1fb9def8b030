package io.tradeanomaly.detector.live;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.detector.consuming.DetectorMetrics;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import io.tradeanomaly.detector.system.DetectorProperties;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LiveConfiguration {

    /** How long a service's last answer counts: two missed polls make it "not reachable". */
    private static final Duration STALE_AFTER = Duration.ofMillis(PipelineHealth.INTERVAL_MILLIS * 2 + 2000);

    @Bean
    LiveStats liveStats(MeterRegistry registry, DetectorSettingsStore settings, ShardLagMetrics lag) {
        return new LiveStats(registry, settings, lag);
    }

    @Bean
    ProducerSettingsProxy producerSettingsProxy(DetectorProperties properties) {
        return new ProducerSettingsProxy(properties.producerUrl());
    }

    @Bean
    PipelineHealth pipelineHealth(
            MeterRegistry registry,
            DetectorSettingsStore settings,
            ShardLagMetrics lag,
            DetectorMetrics metrics,
            DetectorProperties properties) {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(1))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        Clock clock = Clock.systemUTC();
        RemoteMetrics producer = new RemoteMetrics(
                "trade-producer",
                properties.producerUrl(),
                Map.of(HealthHistory.PRODUCED, PrometheusText.Aggregation.SUM),
                http,
                clock,
                STALE_AFTER);
        RemoteMetrics archiver = new RemoteMetrics(
                "s3-archiver",
                properties.archiverUrl(),
                Map.of(
                        HealthHistory.ARCHIVED, PrometheusText.Aggregation.SUM,
                        HealthHistory.OBJECTS, PrometheusText.Aggregation.SUM,
                        HealthHistory.LAG, PrometheusText.Aggregation.MAX),
                http,
                clock,
                STALE_AFTER);
        return new PipelineHealth(
                registry,
                settings,
                lag,
                metrics.scoreWindow(),
                producer,
                archiver,
                new HealthHistory(Duration.ofMillis(PipelineHealth.INTERVAL_MILLIS), Duration.ofMinutes(10)),
                clock);
    }
}
