package io.tradeanomaly.common.aws;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/** The SDK clients every service may need, built from {@code pipeline.aws.*}; each is created on first use. */
@AutoConfiguration
@EnableConfigurationProperties(PipelineAwsProperties.class)
public class AwsClientsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AwsClientFactory awsClientFactory(PipelineAwsProperties properties) {
        return new AwsClientFactory(properties);
    }

    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    KinesisAsyncClient kinesisAsyncClient(AwsClientFactory factory) {
        return factory.kinesis();
    }

    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    DynamoDbAsyncClient dynamoDbAsyncClient(AwsClientFactory factory) {
        return factory.dynamoDb();
    }

    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    CloudWatchAsyncClient cloudWatchAsyncClient(AwsClientFactory factory) {
        return factory.cloudWatch();
    }

    @Bean(destroyMethod = "close")
    @Lazy
    @ConditionalOnMissingBean
    S3Client s3Client(AwsClientFactory factory) {
        return factory.s3();
    }
}
