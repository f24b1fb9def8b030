package io.tradeanomaly.detector.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.deadletter.DeadLetters;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.kcl.KclConsumerFactory;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.s3.S3NdjsonStore;
import io.tradeanomaly.common.settings.S3SettingsDocument;
import io.tradeanomaly.common.settings.SettingsDocument;
import io.tradeanomaly.common.settings.SharedSettings;
import io.tradeanomaly.detector.consuming.DetectorMetrics;
import io.tradeanomaly.detector.consuming.DetectorRecordProcessor;
import io.tradeanomaly.detector.deadletter.DeadLetterSink;
import io.tradeanomaly.detector.publishing.AnomalyPublisher;
import io.tradeanomaly.detector.publishing.KinesisAnomalyPublisher;
import io.tradeanomaly.detector.scoring.ModelBudget;
import io.tradeanomaly.detector.scoring.ModelStore;
import io.tradeanomaly.detector.scoring.RecordScorer;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.ShardModels;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import io.tradeanomaly.detector.settings.RuntimeSettings;
import io.tradeanomaly.detector.snapshots.ModelMetrics;
import io.tradeanomaly.detector.snapshots.S3ModelStore;
import io.tradeanomaly.detector.web.RecentAnomalies;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

@Configuration(proxyBeanMethods = false)
class DetectorConfiguration {

    /** The input schema and output layout; a wrong {@code detector.input.*} setting stops the start here. */
    @Bean
    DetectorRecordProcessor.Format recordFormat(DetectorProperties properties) {
        try {
            return new DetectorRecordProcessor.Format(
                    properties.schema(), properties.layout(), properties.maxRecordBytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid detector settings: " + e.getMessage(), e);
        }
    }

    /** The runtime threshold, shared by every replica through one S3 object (none: this JVM's only). */
    @Bean(destroyMethod = "close")
    SharedSettings<RuntimeSettings> sharedSettings(DetectorProperties properties, S3Client s3) {
        SettingsDocument document =
                properties.settingsKey() == null || properties.settingsKey().isBlank()
                        ? SettingsDocument.inMemory()
                        : new S3SettingsDocument(s3, properties.settingsBucket(), properties.settingsKey());
        return new SharedSettings<>(
                        "anomaly-detector settings",
                        document,
                        RuntimeSettings.class,
                        DetectorSettingsStore.configured(properties.scoring()),
                        Clock.systemUTC())
                .start(properties.settingsRefresh());
    }

    @Bean
    DetectorSettingsStore detectorSettingsStore(
            DetectorProperties properties,
            DetectorRecordProcessor.Format format,
            Validator validator,
            SharedSettings<RuntimeSettings> shared) {
        return new DetectorSettingsStore(properties.scoring(), format.schema(), validator, shared);
    }

    @Bean
    RecentAnomalies recentAnomalies(DetectorProperties properties) {
        return new RecentAnomalies(properties.recentAnomalies());
    }

    @Bean
    ModelBudget modelBudget(DetectorProperties properties) {
        return new ModelBudget(properties.maxModels());
    }

    @Bean
    DetectorMetrics detectorMetrics(MeterRegistry registry, DetectorSettingsStore settings, ModelBudget budget) {
        return new DetectorMetrics(registry, settings, budget);
    }

    /** Threads that write model snapshots in parallel (S3 calls: many at once, little CPU). */
    @Bean(destroyMethod = "shutdownNow")
    ExecutorService snapshotExecutor() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(8, r -> {
            Thread thread = new Thread(r, "snapshots-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
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
            KinesisAsyncClient kinesis, DetectorProperties properties, MeterRegistry registry) {
        // one attempt per call: the shard processor retries what was not accepted while the shard is its own
        PutRecordsPublisher puts = new PutRecordsPublisher(kinesis, properties.anomalyStream(), registry);
        return new KinesisAnomalyPublisher(puts, registry);
    }

    @Bean
    DeadLetterSink deadLetterSink(S3Client s3, DetectorProperties properties) {
        return new DeadLetters(new S3NdjsonStore(s3, properties.deadLetterBucket()), properties.deadLetterPrefix())
                ::write;
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
            DetectorRecordProcessor.Format format,
            DetectorSettingsStore settings,
            ExecutorService scoringExecutor,
            ExecutorService snapshotExecutor,
            AnomalyPublisher publisher,
            DeadLetterSink deadLetters,
            RecentAnomalies recent,
            DetectorMetrics metrics,
            ModelStore models,
            ModelBudget budget,
            ModelMetrics modelMetrics) {
        LeaseView.Deferred leases = new LeaseView.Deferred();
        ScoringSettings scoring = properties.scoring();
        ExecutorService executor = properties.parallelism() > 1 ? scoringExecutor : null;
        ShardModels.Persistence persistence = new ShardModels.Persistence(
                models,
                snapshotExecutor,
                budget,
                modelMetrics,
                Backoff.HAND_OFF,
                Duration.ofSeconds(2),
                Clock.systemUTC());
        DetectorRecordProcessor.SnapshotTiming timing = new DetectorRecordProcessor.SnapshotTiming(
                properties.snapshotInterval(), properties.snapshotTimeout(), properties.finalSnapshotTimeout());
        KclConsumer consumer = consumers.create(
                properties.applicationName(),
                properties.sourceStream(),
                () -> new DetectorRecordProcessor(
                        lag,
                        leases,
                        format,
                        (shardId, keepTrying, start) -> new RecordScorer(
                                new ShardModels(scoring, persistence, shardId, keepTrying, start),
                                settings::threshold,
                                executor),
                        timing,
                        publisher,
                        deadLetters,
                        recent,
                        metrics,
                        Clock.systemUTC()));
        leases.set(consumer);
        return consumer;
    }
}
