package io.tradeanomaly.detector.live;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import io.tradeanomaly.detector.system.DetectorProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LiveConfiguration {

    @Bean
    LiveStats liveStats(MeterRegistry registry, DetectorSettingsStore settings, ShardLagMetrics lag) {
        return new LiveStats(registry, settings, lag);
    }

    @Bean
    ProducerSettingsProxy producerSettingsProxy(DetectorProperties properties) {
        return new ProducerSettingsProxy(properties.producerUrl());
    }
}
