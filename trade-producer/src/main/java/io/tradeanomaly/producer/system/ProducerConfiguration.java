package io.tradeanomaly.producer.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.settings.S3SettingsDocument;
import io.tradeanomaly.common.settings.SettingsDocument;
import io.tradeanomaly.common.settings.SharedSettings;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.producer.generator.TradeGenerator;
import io.tradeanomaly.producer.generator.TradeIds;
import io.tradeanomaly.producer.publishing.TradeEmitter;
import io.tradeanomaly.producer.settings.ProducerSettings;
import io.tradeanomaly.producer.settings.SettingsStore;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

@Configuration(proxyBeanMethods = false)
class ProducerConfiguration {

    @Bean
    TradeCodec recordCodec() {
        return new TradeCodec();
    }

    /** The runtime settings, shared by every replica through one S3 object (none: this JVM's only). */
    @Bean(destroyMethod = "close")
    SharedSettings<ProducerSettings> sharedSettings(ProducerProperties properties, S3Client s3) {
        SettingsDocument document =
                properties.settingsKey() == null || properties.settingsKey().isBlank()
                        ? SettingsDocument.inMemory()
                        : new S3SettingsDocument(s3, properties.settingsBucket(), properties.settingsKey());
        return new SharedSettings<>(
                        "trade-producer settings",
                        document,
                        ProducerSettings.class,
                        properties.initialSettings(),
                        Clock.systemUTC())
                .start(properties.settingsRefresh());
    }

    @Bean
    SettingsStore settingsStore(SharedSettings<ProducerSettings> shared, Validator validator) {
        return new SettingsStore(shared, validator);
    }

    @Bean
    TradeGenerator tradeGenerator(ProducerProperties properties) {
        long seed = properties.seed() != null
                ? properties.seed()
                : ThreadLocalRandom.current().nextLong();
        int instance = properties.instanceId() != null
                ? properties.instanceId()
                : ThreadLocalRandom.current().nextInt(TradeIds.INSTANCES);
        Clock clock = Clock.systemUTC();
        return new TradeGenerator(properties.tickerUniverse(), seed, clock, new TradeIds(clock, instance));
    }

    @Bean
    PutRecordsPublisher tradePublisher(
            KinesisAsyncClient kinesis, ProducerProperties properties, MeterRegistry registry) {
        Backoff retry =
                new Backoff(properties.putMaxAttempts(), properties.putBaseBackoff(), properties.putMaxBackoff());
        return new PutRecordsPublisher(kinesis, properties.stream(), retry, registry);
    }

    @Bean
    TradeEmitter tradeEmitter(
            TradeGenerator generator,
            SettingsStore settings,
            PutRecordsPublisher publisher,
            TradeCodec codec,
            MeterRegistry registry) {
        return new TradeEmitter(generator, settings, publisher, codec, registry);
    }
}
