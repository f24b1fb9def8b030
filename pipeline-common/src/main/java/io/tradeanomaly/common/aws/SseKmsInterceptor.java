package io.tradeanomaly.common.aws;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Asks S3 to encrypt every object the pipeline writes with one customer-managed KMS key ({@code
 * pipeline.aws.s3.sse-kms-key-id}), as a Firehose delivery stream does with its SSE-KMS key: archive objects, dead
 * letters, model snapshots and the shared runtime settings alike, whichever class writes them, because every write goes
 * through the one S3 client {@link AwsClientFactory#s3()} builds. Each PutObject, CreateMultipartUpload and CopyObject
 * gets {@code x-amz-server-side-encryption: aws:kms}, the key id and an S3 Bucket Key (one data key per bucket and
 * period instead of a KMS call per object: KMS requests, and their cost, drop by up to 99 %).
 *
 * <p>Setting it on the request, rather than relying on the bucket's default encryption only, makes S3 refuse a write
 * the role may not encrypt with the key (AccessDenied on {@code kms:GenerateDataKey}) instead of silently storing the
 * object under another key, and makes the key visible in each object's HEAD.
 */
public final class SseKmsInterceptor implements ExecutionInterceptor {

    private final String keyId;

    /** @param keyId a KMS key id, key ARN, alias name or alias ARN */
    public SseKmsInterceptor(String keyId) {
        if (keyId == null || keyId.isBlank()) {
            throw new IllegalArgumentException("an SSE-KMS key id is required");
        }
        this.keyId = keyId.strip();
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        SdkRequest request = context.request();
        if (request instanceof PutObjectRequest put) {
            return put.toBuilder()
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyId)
                    .bucketKeyEnabled(true)
                    .build();
        }
        if (request instanceof CreateMultipartUploadRequest upload) {
            return upload.toBuilder()
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyId)
                    .bucketKeyEnabled(true)
                    .build();
        }
        if (request instanceof CopyObjectRequest copy) {
            return copy.toBuilder()
                    .serverSideEncryption(ServerSideEncryption.AWS_KMS)
                    .ssekmsKeyId(keyId)
                    .bucketKeyEnabled(true)
                    .build();
        }
        return request;
    }
}
