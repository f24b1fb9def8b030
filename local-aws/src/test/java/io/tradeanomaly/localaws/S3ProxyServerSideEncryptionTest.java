package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.aws.AwsClientFactory;
import io.tradeanomaly.common.aws.PipelineAwsProperties;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The local S3 takes SSE-KMS on a write and reports it on PUT, HEAD and GET as S3 does, with the real SDK, for both of
 * its stores: the in-memory one of the tests (s3proxy's own support) and the file store of {@code ./run-local.sh},
 * which s3proxy alone refuses with 501 ({@link ServerSideEncryptionOnDisk}).
 */
class S3ProxyServerSideEncryptionTest {

    private static final String BUCKET = "archive";
    private static final String KEY_ID = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void anObjectWrittenWithSseKmsReportsItsKeyOnPutHeadAndGetAndAPlainOneSseS3(boolean onDisk, @TempDir Path dir)
            throws Exception {
        int port = LocalAwsStack.Ports.free().s3();
        Path data = onDisk ? dir.resolve("s3") : null;
        try (S3ProxyServer server = new S3ProxyServer(LocalAwsStack.LOOPBACK, port, data);
                S3Client s3 = client(port)) {
            s3.createBucket(b -> b.bucket(BUCKET));
            PutObjectResponse put = s3.putObject(
                    b -> b.bucket(BUCKET)
                            .key("2026/12/07/21/a.json")
                            .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                            .ssekmsKeyId(KEY_ID)
                            .bucketKeyEnabled(true)
                            .metadata(java.util.Map.of("origin", "test")),
                    RequestBody.fromString("{\"id\":1}\n"));
            s3.putObject(b -> b.bucket(BUCKET).key("plain.json"), RequestBody.fromString("{}\n"));

            assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
            assertThat(put.ssekmsKeyId()).isEqualTo(KEY_ID);
            assertThat(put.bucketKeyEnabled()).isTrue();
            HeadObjectResponse head = s3.headObject(b -> b.bucket(BUCKET).key("2026/12/07/21/a.json"));
            assertKms(head.serverSideEncryption(), head.ssekmsKeyId(), head.bucketKeyEnabled());
            assertThat(head.metadata()).containsExactly(java.util.Map.entry("origin", "test"));
            try (ResponseInputStream<GetObjectResponse> get =
                    s3.getObject(b -> b.bucket(BUCKET).key("2026/12/07/21/a.json"))) {
                assertKms(
                        get.response().serverSideEncryption(),
                        get.response().ssekmsKeyId(),
                        get.response().bucketKeyEnabled());
                assertThat(new String(get.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                        .isEqualTo("{\"id\":1}\n");
            }
            HeadObjectResponse plain = s3.headObject(b -> b.bucket(BUCKET).key("plain.json"));
            assertThat(plain.serverSideEncryption())
                    .as("S3's default encryption")
                    .isEqualTo(ServerSideEncryption.AES256);
            assertThat(plain.ssekmsKeyId()).isNull();

            // a copy carries the copy request's encryption, not the source's
            s3.copyObject(b -> b.sourceBucket(BUCKET)
                    .sourceKey("plain.json")
                    .destinationBucket(BUCKET)
                    .destinationKey("copied.json")
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(KEY_ID)
                    .bucketKeyEnabled(true));
            HeadObjectResponse copied = s3.headObject(b -> b.bucket(BUCKET).key("copied.json"));
            assertKms(copied.serverSideEncryption(), copied.ssekmsKeyId(), copied.bucketKeyEnabled());

            String upload = s3.createMultipartUpload(b -> b.bucket(BUCKET)
                            .key("multipart.json")
                            .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                            .ssekmsKeyId(KEY_ID)
                            .bucketKeyEnabled(true))
                    .uploadId();
            String etag = s3.uploadPart(
                            b -> b.bucket(BUCKET)
                                    .key("multipart.json")
                                    .uploadId(upload)
                                    .partNumber(1),
                            RequestBody.fromString("{\"id\":2}\n"))
                    .eTag();
            s3.completeMultipartUpload(b -> b.bucket(BUCKET)
                    .key("multipart.json")
                    .uploadId(upload)
                    .multipartUpload(m -> m.parts(
                            CompletedPart.builder().partNumber(1).eTag(etag).build())));
            HeadObjectResponse multipart = s3.headObject(b -> b.bucket(BUCKET).key("multipart.json"));
            assertKms(multipart.serverSideEncryption(), multipart.ssekmsKeyId(), multipart.bucketKeyEnabled());

            if (onDisk) { // kept with the object: a restarted local S3 still reports it
                server.stop();
                server.start();
                HeadObjectResponse again = s3.headObject(b -> b.bucket(BUCKET).key("2026/12/07/21/a.json"));
                assertKms(again.serverSideEncryption(), again.ssekmsKeyId(), again.bucketKeyEnabled());
            }
        }
    }

    private static void assertKms(ServerSideEncryption algorithm, String keyId, Boolean bucketKeyEnabled) {
        assertThat(algorithm).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(keyId).isEqualTo(KEY_ID);
        assertThat(bucketKeyEnabled).isTrue();
    }

    private static S3Client client(int port) {
        return new AwsClientFactory(
                        PipelineAwsProperties.forLocalStack(null, null, URI.create("http://127.0.0.1:" + port)))
                .s3();
    }
}
