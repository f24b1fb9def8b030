package io.tradeanomaly.localaws;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * The local S3's file store, taking and reporting SSE-KMS (and SSE-S3) as S3 does, so that a pipeline configured with
 * {@code pipeline.aws.s3.sse-kms-key-id} runs against it unchanged.
 *
 * <p>Why it exists: s3proxy 4.1.0 answers SSE for its in-memory store (the one the tests use) but refuses it for its
 * file store ({@code FilesystemNio2BlobStore.supportsServerSideEncryption()} is false, so every request carrying an
 * {@code x-amz-server-side-encryption*} header gets {@code 501 NotImplemented "Server-side encryption is not
 * supported."}), on the grounds that it would be claiming encryption over plaintext files. {@code ./run-local.sh} and
 * the compose stack use the file store. Nothing is encrypted here either: the object's encryption is what S3 lets a
 * caller observe of it, the header family, kept with the object as three user-metadata entries (which the file store
 * persists in the file's extended attributes, so they survive a restart) and moved back into the response's
 * encryption fields, never shown as {@code x-amz-meta-*}. A write's encryption is its own, as on S3: a copy takes the
 * copy request's, not the source's; a write that asks for none reports SSE-S3 ({@code AES256}), S3's default and what
 * s3proxy's in-memory store reports.
 */
final class ServerSideEncryptionOnDisk extends ForwardingBlobStore {

    static final String ALGORITHM = "local-aws-sse";
    static final String KMS_KEY_ID = "local-aws-sse-kms-key-id";
    static final String BUCKET_KEY_ENABLED = "local-aws-sse-bucket-key-enabled";

    /** The encryption a write asked for. */
    private record Encryption(String algorithm, String kmsKeyId, Boolean bucketKeyEnabled) {}

    private final Map<String, Encryption> uploads = new ConcurrentHashMap<>();

    private ServerSideEncryptionOnDisk(BlobStore store) {
        super(store);
    }

    /** The store, taking the SSE request headers and reporting them back on PUT, HEAD, GET, copy and multipart. */
    static BlobStore wrap(BlobStore store) {
        return new ServerSideEncryptionOnDisk(store);
    }

    @Override
    public boolean supportsServerSideEncryption() {
        return true; // s3proxy's handler vets the headers (aws:kms or AES256; a key id only with aws:kms)
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse stored = super.putBlob(
                request.toBuilder()
                        .metadata(kept(
                                request.metadata(),
                                request.serverSideEncryptionAsString(),
                                request.ssekmsKeyId(),
                                request.bucketKeyEnabled()))
                        .build(),
                content);
        return stored.toBuilder()
                .serverSideEncryption(request.serverSideEncryptionAsString())
                .ssekmsKeyId(request.ssekmsKeyId())
                .bucketKeyEnabled(request.bucketKeyEnabled())
                .build();
    }

    /**
     * s3proxy's file store carries an upload's metadata to its object through a stub object the handler writes from
     * the request's {@code x-amz-meta-*} headers alone, so the upload's encryption is remembered here, by upload id,
     * until it completes (an upload in flight across a restart of the local S3 loses it).
     */
    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        MultipartUpload upload = super.initiateMultipartUpload(request);
        if (request.serverSideEncryptionAsString() == null) {
            return upload;
        }
        Encryption encryption = new Encryption(
                request.serverSideEncryptionAsString(), request.ssekmsKeyId(), request.bucketKeyEnabled());
        uploads.put(upload.id(), encryption);
        CreateMultipartUploadResponse.Builder response =
                upload.response() == null ? CreateMultipartUploadResponse.builder() : upload.response().toBuilder();
        return new MultipartUpload(
                upload.id(),
                upload.request(),
                response.serverSideEncryption(encryption.algorithm())
                        .ssekmsKeyId(encryption.kmsKeyId())
                        .bucketKeyEnabled(encryption.bucketKeyEnabled())
                        .build());
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(
            MultipartUpload upload, CompleteMultipartUploadRequest request) {
        Encryption encryption = uploads.get(upload.id());
        if (encryption == null) {
            return super.completeMultipartUpload(upload, request);
        }
        CreateMultipartUploadRequest carrier = upload.request();
        CompleteMultipartUploadResponse completed = super.completeMultipartUpload(
                new MultipartUpload(
                        upload.id(),
                        carrier.toBuilder()
                                .metadata(kept(
                                        carrier.metadata(),
                                        encryption.algorithm(),
                                        encryption.kmsKeyId(),
                                        encryption.bucketKeyEnabled()))
                                .build(),
                        upload.response()),
                request);
        uploads.remove(upload.id());
        return completed.toBuilder()
                .serverSideEncryption(encryption.algorithm())
                .ssekmsKeyId(encryption.kmsKeyId())
                .bucketKeyEnabled(encryption.bucketKeyEnabled())
                .build();
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        super.abortMultipartUpload(upload);
        uploads.remove(upload.id());
    }

    /**
     * A copy that keeps the source's metadata (S3's default) is made as one that replaces it with the source's, so that
     * the copy carries the request's encryption and not the source's.
     */
    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        Map<String, String> metadata = request.metadata();
        CopyObjectRequest.Builder copy = request.toBuilder();
        if (request.metadataDirective() != MetadataDirective.REPLACE) {
            HeadObjectResponse source = super.blobMetadata(HeadObjectRequest.builder()
                    .bucket(request.sourceBucket())
                    .key(request.sourceKey())
                    .versionId(request.sourceVersionId())
                    .build());
            metadata = source.metadata();
            copy.metadataDirective(MetadataDirective.REPLACE)
                    .contentType(source.contentType())
                    .contentEncoding(source.contentEncoding())
                    .contentDisposition(source.contentDisposition())
                    .contentLanguage(source.contentLanguage())
                    .cacheControl(source.cacheControl())
                    .expires(source.expires());
        }
        CopyObjectResponse copied = super.copyBlob(copy.metadata(kept(
                        metadata,
                        request.serverSideEncryptionAsString(),
                        request.ssekmsKeyId(),
                        request.bucketKeyEnabled()))
                .build());
        return copied.toBuilder()
                .serverSideEncryption(request.serverSideEncryptionAsString())
                .ssekmsKeyId(request.ssekmsKeyId())
                .bucketKeyEnabled(request.bucketKeyEnabled())
                .build();
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        HeadObjectResponse head = super.blobMetadata(request);
        if (head == null) {
            return null;
        }
        Map<String, String> metadata = head.metadata();
        return head.toBuilder()
                .metadata(withoutKept(metadata))
                .serverSideEncryption(algorithm(metadata))
                .ssekmsKeyId(metadata.get(KMS_KEY_ID))
                .bucketKeyEnabled(bucketKeyEnabled(metadata))
                .build();
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
        GetObjectResponse response = blob == null ? null : blob.response();
        if (response == null) {
            return blob;
        }
        Map<String, String> metadata = response.metadata();
        return new ResponseInputStream<>(
                response.toBuilder()
                        .metadata(withoutKept(metadata))
                        .serverSideEncryption(algorithm(metadata))
                        .ssekmsKeyId(metadata.get(KMS_KEY_ID))
                        .bucketKeyEnabled(bucketKeyEnabled(metadata))
                        .build(),
                blob);
    }

    /** The user metadata of a write, without any entries of an earlier encryption, with this write's. */
    private static Map<String, String> kept(
            Map<String, String> metadata, String algorithm, String kmsKeyId, Boolean bucketKeyEnabled) {
        Map<String, String> kept = withoutKept(metadata);
        if (algorithm != null) {
            kept.put(ALGORITHM, algorithm);
            if (kmsKeyId != null) {
                kept.put(KMS_KEY_ID, kmsKeyId);
            }
            if (bucketKeyEnabled != null) {
                kept.put(BUCKET_KEY_ENABLED, bucketKeyEnabled.toString());
            }
        }
        return kept;
    }

    private static Map<String, String> withoutKept(Map<String, String> metadata) {
        Map<String, String> rest = new HashMap<>(metadata == null ? Map.of() : metadata);
        rest.remove(ALGORITHM);
        rest.remove(KMS_KEY_ID);
        rest.remove(BUCKET_KEY_ENABLED);
        return rest;
    }

    /** The write's algorithm; SSE-S3 for one that asked for none, as S3 encrypts every object since January 2023. */
    private static String algorithm(Map<String, String> metadata) {
        return metadata.getOrDefault(ALGORITHM, "AES256");
    }

    private static Boolean bucketKeyEnabled(Map<String, String> metadata) {
        String value = metadata.get(BUCKET_KEY_ENABLED);
        return value == null ? null : Boolean.valueOf(value);
    }
}
