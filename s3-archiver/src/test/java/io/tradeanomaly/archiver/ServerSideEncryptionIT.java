package io.tradeanomaly.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.aws.AwsClientFactory;
import io.tradeanomaly.common.deadletter.DeadLetter;
import io.tradeanomaly.common.deadletter.DeadLetters;
import io.tradeanomaly.common.s3.S3NdjsonStore;
import io.tradeanomaly.common.settings.S3SettingsDocument;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * {@code pipeline.aws.s3.sse-kms-key-id} makes every object the pipeline writes SSE-KMS with that key, whichever class
 * writes it (archive objects, dead letters, shared settings), and without it none asks for a key (S3's default SSE-S3
 * applies). Writes through the services' own S3 client factory to the local S3; about a second.
 */
@ExtendWith(LocalAwsExtension.class)
class ServerSideEncryptionIT {

    private static final LocalAwsNamespace NAMES = LocalAwsExtension.newNamespace("ServerSideEncryptionIT");
    private static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/0f1e2d3c-sse-it";

    @Test
    void withAKeyIdEveryObjectWrittenIsSseKmsWithThatKey(LocalAwsStack stack) {
        try (S3Client s3 = new AwsClientFactory(stack.awsProperties().withSseKmsKeyId(KMS_KEY)).s3()) {
            for (String key : writeOneOfEach(s3, "with-key/")) {
                HeadObjectResponse head =
                        stack.s3().headObject(b -> b.bucket(NAMES.bucket()).key(key));
                assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.AWS_KMS);
                assertThat(head.ssekmsKeyId()).as(key).isEqualTo(KMS_KEY);
                assertThat(head.bucketKeyEnabled()).as(key).isTrue();
            }
        }
    }

    @Test
    void withoutOneNoKeyIsAskedFor(LocalAwsStack stack) {
        try (S3Client s3 = new AwsClientFactory(stack.awsProperties().withSseKmsKeyId(" ")).s3()) {
            for (String key : writeOneOfEach(s3, "without-key/")) {
                HeadObjectResponse head =
                        stack.s3().headObject(b -> b.bucket(NAMES.bucket()).key(key));
                assertThat(head.serverSideEncryption()).as(key).isNotEqualTo(ServerSideEncryption.AWS_KMS);
                assertThat(head.ssekmsKeyId()).as(key).isNull();
            }
        }
    }

    /** An archive object, a dead letter and a settings document, each written the way the services write them. */
    private static List<String> writeOneOfEach(S3Client s3, String prefix) {
        S3NdjsonStore store = new S3NdjsonStore(s3, NAMES.bucket());
        String archived = prefix + "2026/12/07/21/anomalous-trades-1-2026-12-07-21-40-00-shardId-000000000000-1.json";
        store.write(
                archived,
                List.of("{\"id\":1,\"ANOMALY_SCORE\":2.5}".getBytes(StandardCharsets.UTF_8)),
                false,
                line -> new String(line, StandardCharsets.UTF_8));
        DeadLetters deadLetters = new DeadLetters(store, prefix + "errors/s3-archiver/");
        Instant arrival = Instant.parse("2026-12-07T21:40:03Z");
        deadLetters.write(
                "shardId-000000000000",
                List.of(new DeadLetter(
                        "malformed-json",
                        "not JSON",
                        "shardId-000000000000",
                        "1",
                        null,
                        "x",
                        arrival,
                        "garbage",
                        "utf-8")));
        String settings = prefix + "runtime-settings/anomaly-detector.json";
        new S3SettingsDocument(s3, NAMES.bucket(), settings)
                .write("{\"threshold\":3.0}".getBytes(StandardCharsets.UTF_8), null);
        return List.of(archived, deadLetters.keyOf("shardId-000000000000", arrival), settings);
    }
}
