package io.tradeanomaly.common.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the SDK v2 clients from {@link PipelineAwsProperties}. Plain Java, so that the local AWS stack, the tests and
 * the Spring configuration all wire clients the same way.
 */
public final class AwsClientFactory {

    private final PipelineAwsProperties properties;
    private final AwsCredentialsProvider credentials;
    private final AwsCallLog callLog;

    public AwsClientFactory(PipelineAwsProperties properties) {
        this.properties = properties;
        this.callLog = properties.callLog() == null ? null : new AwsCallLog(properties.callLog());
        this.credentials =
                properties.credentials() != null && properties.credentials().isSet()
                        ? StaticCredentialsProvider.create(AwsBasicCredentials.create(
                                properties.credentials().accessKeyId(),
                                properties.credentials().secretAccessKey()))
                        : DefaultCredentialsProvider.builder().build();
    }

    /**
     * Kinesis for KCL and PutRecords. Real AWS speaks HTTP/2 over TLS; a plain {@code http://} emulator endpoint
     * (kinesis-local's 4568) is spoken to with HTTP/1.1.
     */
    public KinesisAsyncClient kinesis() {
        URI endpoint = properties.kinesisEndpoint();
        boolean plainHttp = endpoint != null && "http".equalsIgnoreCase(endpoint.getScheme());
        NettyNioAsyncHttpClient.Builder http = NettyNioAsyncHttpClient.builder()
                .maxConcurrency(Integer.MAX_VALUE)
                .connectionAcquisitionTimeout(Duration.ofSeconds(30));
        if (plainHttp) {
            http.protocol(Protocol.HTTP1_1).maxConcurrency(200);
        } else {
            http.protocol(Protocol.HTTP2);
        }
        return configure(KinesisAsyncClient.builder(), endpoint)
                .httpClientBuilder(http)
                .build();
    }

    /** DynamoDB for the KCL lease, coordinator-state and worker-metrics tables. */
    public DynamoDbAsyncClient dynamoDb() {
        return configure(DynamoDbAsyncClient.builder(), properties.dynamodbEndpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder().maxConcurrency(100))
                .build();
    }

    /** CloudWatch, only used when KCL metrics are published to CloudWatch. */
    public CloudWatchAsyncClient cloudWatch() {
        return configure(CloudWatchAsyncClient.builder(), properties.cloudwatchEndpoint())
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .build();
    }

    /**
     * S3 for the archive, dead letters, model snapshots and shared settings; path-style when an endpoint is configured.
     * Every call is bounded in time (per attempt and in all), so that a hung call fails and is retried by the caller
     * while it owns its shard, instead of stalling the shard. With {@code pipeline.aws.s3.sse-kms-key-id} set, every
     * object written is encrypted with that KMS key ({@link SseKmsInterceptor}).
     */
    public S3Client s3() {
        PipelineAwsProperties.S3 s3 = properties.s3();
        Duration attempt = s3 == null || s3.attemptTimeout() == null ? Duration.ofSeconds(10) : s3.attemptTimeout();
        Duration call = s3 == null || s3.callTimeout() == null ? Duration.ofSeconds(30) : s3.callTimeout();
        var sseKms = s3 == null ? Optional.<String>empty() : s3.sseKmsKey();
        return configure(S3Client.builder(), properties.s3Endpoint(), c -> {
                    c.apiCallAttemptTimeout(attempt).apiCallTimeout(call);
                    sseKms.ifPresent(key -> c.addExecutionInterceptor(new SseKmsInterceptor(key)));
                })
                .forcePathStyle(properties.s3PathStyle())
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(50))
                .build();
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(B builder, URI endpoint) {
        return configure(builder, endpoint, c -> {});
    }

    private <B extends AwsClientBuilder<B, C>, C> B configure(
            B builder, URI endpoint, Consumer<ClientOverrideConfiguration.Builder> overrides) {
        builder.credentialsProvider(credentials);
        builder.overrideConfiguration(c -> {
            if (callLog != null) {
                c.addExecutionInterceptor(callLog);
            }
            overrides.accept(c);
        });
        if (properties.region() != null && !properties.region().isBlank()) {
            builder.region(Region.of(properties.region()));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        return builder;
    }
}
