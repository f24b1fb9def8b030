package io.tradeanomaly.archiver.system;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.archiver.consuming.ArchiveRecordProcessor;
import io.tradeanomaly.archiver.partitioning.ObjectKeys;
import io.tradeanomaly.archiver.storage.ArchiveStatus;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.kcl.KclConsumerFactory;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.s3.NdjsonStore;
import io.tradeanomaly.common.s3.S3NdjsonStore;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import software.amazon.awssdk.services.s3.S3Client;

@Configuration(proxyBeanMethods = false)
class ArchiverConfiguration {

    @Bean
    NdjsonStore archiveStore(S3Client s3, ArchiverProperties properties) {
        // a Parquet key holding what is not Parquet (another writer's) is kept there before it is replaced
        return new S3NdjsonStore(s3, properties.bucket(), properties.errorPrefix() + "unreadable/");
    }

    @Bean("s3")
    ArchiveStatus archiveStatus(MeterRegistry registry, ArchiverProperties properties) {
        return new ArchiveStatus(registry, Clock.systemUTC(), properties.unhealthyAfter());
    }

    @Bean
    KclConsumer kclConsumer(
            KclConsumerFactory consumers,
            ArchiverProperties properties,
            ShardLagMetrics lag,
            NdjsonStore store,
            ArchiveStatus status) {
        ObjectKeys keys =
                new ObjectKeys(properties.prefix(), properties.name(), properties.version(), properties.objectFormat());
        LeaseView.Deferred leases = new LeaseView.Deferred();
        KclConsumer consumer = consumers.create(
                properties.applicationName(),
                properties.stream(),
                () -> new ArchiveRecordProcessor(
                        lag,
                        leases,
                        properties.maxRecordBytes(),
                        keys,
                        properties.partitioning(),
                        properties.errorPrefix(),
                        properties.dedupeHorizon(),
                        store,
                        status,
                        Clock.systemUTC()));
        leases.set(consumer);
        return consumer;
    }
}
