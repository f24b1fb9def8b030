package io.tradeanomaly.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The three S3 writes get SSE-KMS with the key and a Bucket Key, their other fields kept; anything else is left as it
 * is. (That the services' writes reach S3 so: {@code ServerSideEncryptionIT} in s3-archiver, on the local S3.)
 */
class SseKmsInterceptorTest {

    private static final String KEY = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    private final SseKmsInterceptor interceptor = new SseKmsInterceptor(" " + KEY + " ");

    @Test
    void aPutACopyAndAMultipartUploadAskForTheKeyAndKeepTheirOwnFields() {
        PutObjectRequest put = (PutObjectRequest) modified(
                PutObjectRequest.builder().bucket("b").key("k").ifNoneMatch("*").build());
        assertThat(put.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(put.ssekmsKeyId()).isEqualTo(KEY);
        assertThat(put.bucketKeyEnabled()).isTrue();
        assertThat(put.ifNoneMatch()).isEqualTo("*");

        CopyObjectRequest copy = (CopyObjectRequest) modified(CopyObjectRequest.builder()
                .sourceBucket("b")
                .sourceKey("a")
                .destinationBucket("b")
                .destinationKey("c")
                .build());
        assertThat(copy.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(copy.ssekmsKeyId()).isEqualTo(KEY);
        assertThat(copy.bucketKeyEnabled()).isTrue();
        assertThat(copy.destinationKey()).isEqualTo("c");

        CreateMultipartUploadRequest upload = (CreateMultipartUploadRequest) modified(
                CreateMultipartUploadRequest.builder().bucket("b").key("m").build());
        assertThat(upload.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(upload.ssekmsKeyId()).isEqualTo(KEY);
        assertThat(upload.bucketKeyEnabled()).isTrue();
    }

    @Test
    void aReadIsLeftAlone() {
        GetObjectRequest get = GetObjectRequest.builder().bucket("b").key("k").build();
        assertThat(modified(get)).isSameAs(get);
    }

    @Test
    void aKeyIsRequired() {
        assertThatThrownBy(() -> new SseKmsInterceptor(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    private SdkRequest modified(SdkRequest request) {
        Context.ModifyRequest context = () -> request;
        return interceptor.modifyRequest(context, new ExecutionAttributes());
    }
}
