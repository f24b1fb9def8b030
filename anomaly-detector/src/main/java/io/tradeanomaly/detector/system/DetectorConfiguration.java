package io.tradeanomaly.detector.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.kcl.KclConsumerFactory;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.kinesis.RetryPolicy;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.detector.consuming.DetectorMetrics;
import io.tradeanomaly.detector.consuming.TradeRecordProcessor;
import io.tradeanomaly.detector.deadletter.DeadLetterSink;
import io.tradeanomaly.detector.deadletter.S3DeadLetterSink;
import io.tradeanomaly.detector.publishing.AnomalyPublisher;
import io.tradeanomaly.detector.publishing.KinesisAnomalyPublisher;
import io.tradeanomaly.detector.scoring.ModelStore;
import io.tradeanomaly.detector.scoring.TradeScorer;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import io.tradeanomaly.detector.snapshots.ModelMetrics;
import io.tradeanomaly.detector.snapshots.S3ModelStore;
import io.tradeanomaly.detector.web.RecentAnomalies;
import jakarta.validation.Validator;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

@Configuration(proxyBeanMethods = false)
class DetectorConfiguration {

    @Bean
    RecordCodec recordCodec(DetectorProperties properties) {
        return new RecordCodec(properties.maxRecordBytes());
    }

    @Bean
    DetectorSettingsStore detectorSettingsStore(DetectorProperties properties, Validator validator) {
        return new DetectorSettingsStore(properties.scoring(), validator);
    }

    @Bean
    RecentAnomalies recentAnomalies(DetectorProperties properties) {
        return new RecentAnomalies(properties.recentAnomalies());
    }

    @Bean
    DetectorMetrics detectorMetrics(MeterRegistry registry, DetectorSettingsStore settings) {
        return new DetectorMetrics(registry, settings);
    }

    /** Threads that score different models of one batch in parallel (models are never shared between them). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService scoringExecutor(DetectorProperties properties) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(properties.parallelism(), r -> {
            Thread thread = new Thread(r, "scoring-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Bean
    AnomalyPublisher anomalyPublisher(
            KinesisAsyncClient kinesis, DetectorProperties properties, RecordCodec codec, MeterRegistry registry) {
        PutRecordsPublisher puts =
                new PutRecordsPublisher(kinesis, properties.anomalyStream(), RetryPolicy.defaults(), registry);
        return new KinesisAnomalyPublisher(puts, codec, registry);
    }

    @Bean
    DeadLetterSink deadLetterSink(S3Client s3, DetectorProperties properties, RecordCodec codec) {
        return new S3DeadLetterSink(s3, properties.deadLetterBucket(), properties.deadLetterPrefix(), codec);
    }

    @Bean
    ModelStore modelStore(S3Client s3, DetectorProperties properties) {
        return properties.snapshotPrefix() == null
                        || properties.snapshotPrefix().isBlank()
                ? ModelStore.none()
                : new S3ModelStore(s3, properties.snapshotBucket(), properties.snapshotPrefix());
    }

    @Bean
    ModelMetrics modelMetrics(MeterRegistry registry) {
        return new ModelMetrics(registry);
    }

    @Bean
    KclConsumer kclConsumer(
            KclConsumerFactory consumers,
            DetectorProperties properties,
            ShardLagMetrics lag,
            RecordCodec codec,
            DetectorSettingsStore settings,
            ExecutorService scoringExecutor,
            AnomalyPublisher publisher,
            DeadLetterSink deadLetters,
            RecentAnomalies recent,
            DetectorMetrics metrics,
            ModelStore models,
            ModelMetrics modelMetrics) {
        LeaseView.Deferred leases = new LeaseView.Deferred();
        ExecutorService executor = properties.parallelism() > 1 ? scoringExecutor : null;
        KclConsumer consumer = consumers.create(
                properties.applicationName(),
                properties.sourceStream(),
                () -> new TradeRecordProcessor(
                        lag,
                        codec,
                        shardId -> new TradeScorer(
                                properties.scoring(),
                                settings::threshold,
                                executor,
                                models,
                                properties.maxModelsPerShard(),
                                shardId,
                                modelMetrics),
                        properties.snapshotInterval(),
                        publisher,
                        deadLetters,
                        recent,
                        metrics,
                        leases,
                        Clock.systemUTC()));
        leases.set(consumer);
        return consumer;
    }
}
