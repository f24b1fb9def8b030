package io.tradeanomaly.common.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the services find AWS. Everything unset means real AWS with the SDK's default region and credential chains
 * (environment, profile, IRSA web identity, instance role). The {@code local} profile points every service at the
 * local AWS stack; {@code pipeline.aws.endpoint} alone points everything at LocalStack.
 *
 * @param region AWS region, e.g. {@code eu-west-1}; unset = the SDK's default region chain
 * @param endpoint one endpoint for every service (LocalStack: {@code http://localhost:4566}); unset = real AWS
 * @param kinesis Kinesis endpoint override, wins over {@code endpoint}
 * @param dynamodb DynamoDB endpoint override (KCL lease tables), wins over {@code endpoint}
 * @param s3 S3 endpoint override and path-style switch, wins over {@code endpoint}
 * @param cloudwatch CloudWatch endpoint override (only used when KCL metrics go to CloudWatch)
 * @param credentials static credentials, meant only for emulators (the {@code local} profile's dummy ones); unset =
 *     the SDK's default credential chain
 * @param callLog a file every distinct AWS call is appended to ({@code service:Operation resource}); the build sets
 *     it in integration tests to check the IAM policies against what the code calls; unset = off
 */
@ConfigurationProperties("pipeline.aws")
public record PipelineAwsProperties(
        String region,
        URI endpoint,
        @DefaultValue ServiceEndpoint kinesis,
        @DefaultValue ServiceEndpoint dynamodb,
        @DefaultValue S3 s3,
        @DefaultValue ServiceEndpoint cloudwatch,
        @DefaultValue Credentials credentials,
        java.nio.file.Path callLog) {

    /** @param endpoint this service's endpoint; unset = the shared {@code endpoint}, then real AWS */
    public record ServiceEndpoint(URI endpoint) {}

    /**
     * @param endpoint S3's endpoint; unset = the shared {@code endpoint}, then real AWS
     * @param pathStyleAccess path-style bucket addressing; unset = on exactly when an endpoint is configured
     * @param attemptTimeout bound on one HTTP attempt of an S3 call: a call that hangs (a stalled connection) fails
     *     after it and is retried, instead of stalling its shard
     * @param callTimeout bound on one S3 call, the SDK's own retries included
     * @param sseKmsKeyId a customer-managed KMS key (id, ARN or alias) every object the pipeline writes is encrypted
     *     with (SSE-KMS with an S3 Bucket Key, as a Firehose delivery stream's key); unset or empty = none asked for,
     *     the bucket's default encryption applies
     */
    public record S3(
            URI endpoint,
            Boolean pathStyleAccess,
            @DefaultValue("10s") Duration attemptTimeout,
            @DefaultValue("30s") Duration callTimeout,
            String sseKmsKeyId) {

        /** The {@link #sseKmsKeyId}, if one is set. */
        public Optional<String> sseKmsKey() {
            return sseKmsKeyId == null || sseKmsKeyId.isBlank() ? Optional.empty() : Optional.of(sseKmsKeyId.strip());
        }
    }

    /**
     * @param accessKeyId static access key id (emulators only)
     * @param secretAccessKey static secret access key (emulators only)
     */
    public record Credentials(String accessKeyId, String secretAccessKey) {
        public boolean isSet() {
            return accessKeyId != null && !accessKeyId.isBlank();
        }
    }

    /** Settings for the local AWS stack started by {@code local-aws}: one endpoint per emulator. */
    public static PipelineAwsProperties forLocalStack(URI kinesis, URI dynamodb, URI s3) {
        return new PipelineAwsProperties(
                "us-east-1",
                null,
                new ServiceEndpoint(kinesis),
                new ServiceEndpoint(dynamodb),
                new S3(s3, true, Duration.ofSeconds(10), Duration.ofSeconds(30), null),
                new ServiceEndpoint(null),
                new Credentials("test", "test"),
                null);
    }

    /** These settings, with every object written to S3 encrypted with the given KMS key (null = none asked for). */
    public PipelineAwsProperties withSseKmsKeyId(String keyId) {
        S3 current = s3 == null ? new S3(null, null, Duration.ofSeconds(10), Duration.ofSeconds(30), null) : s3;
        return new PipelineAwsProperties(
                region,
                endpoint,
                kinesis,
                dynamodb,
                new S3(
                        current.endpoint(),
                        current.pathStyleAccess(),
                        current.attemptTimeout(),
                        current.callTimeout(),
                        keyId),
                cloudwatch,
                credentials,
                callLog);
    }

    URI kinesisEndpoint() {
        return kinesis != null && kinesis.endpoint() != null ? kinesis.endpoint() : endpoint;
    }

    URI dynamodbEndpoint() {
        return dynamodb != null && dynamodb.endpoint() != null ? dynamodb.endpoint() : endpoint;
    }

    URI s3Endpoint() {
        return s3 != null && s3.endpoint() != null ? s3.endpoint() : endpoint;
    }

    URI cloudwatchEndpoint() {
        return cloudwatch != null && cloudwatch.endpoint() != null ? cloudwatch.endpoint() : endpoint;
    }

    boolean s3PathStyle() {
        if (s3 != null && s3.pathStyleAccess() != null) {
            return s3.pathStyleAccess();
        }
        return s3Endpoint() != null;
    }
}
