package io.tradeanomaly.common.kcl;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.aws.AwsClientsAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.coordinator.Scheduler;

/** KCL consumer support for the services that consume a stream. */
@AutoConfiguration(after = AwsClientsAutoConfiguration.class)
@ConditionalOnClass(Scheduler.class)
@EnableConfigurationProperties(KclProperties.class)
public class KclAutoConfiguration {

    @Bean
    @Lazy
    @ConditionalOnMissingBean
    KclConsumerFactory kclConsumerFactory(
            KclProperties properties,
            @Lazy KinesisAsyncClient kinesis,
            @Lazy DynamoDbAsyncClient dynamoDb,
            @Lazy CloudWatchAsyncClient cloudWatch,
            MeterRegistry registry) {
        return new KclConsumerFactory(properties, kinesis, dynamoDb, cloudWatch, registry);
    }

    @Bean
    @ConditionalOnMissingBean
    ShardLagMetrics shardLagMetrics(ObjectProvider<MeterRegistry> registry, KclProperties properties) {
        ShardLagMetrics shards = new ShardLagMetrics(registry.getObject());
        shards.poisonAfter(properties.poisonAfter());
        return shards;
    }

    /** {@code /actuator/health}'s {@code shardProgress}: DOWN while a shard makes no progress (readiness). */
    @Bean
    @ConditionalOnMissingBean
    ShardProgressHealth shardProgress(ShardLagMetrics shards, KclProperties properties) {
        return new ShardProgressHealth(shards, properties.stalledAfter());
    }
}
