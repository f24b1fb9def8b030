package io.tradeanomaly.common.settings;

import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The settings document as one S3 object, written with S3's conditional writes: {@code If-None-Match: *} for the
 * first, {@code If-Match: <ETag>} after (as the detector's model snapshots and the archive's objects are). Only a
 * missing key (404 NoSuchKey) means "none yet"; a missing bucket or a 403 (a missing key without s3:ListBucket) is a
 * failure.
 */
public final class S3SettingsDocument implements SettingsDocument {

    private final S3Client s3;
    private final String bucket;
    private final String key;

    public S3SettingsDocument(S3Client s3, String bucket, String key) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
    }

    @Override
    public Optional<Stored> read() {
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
            return Optional.of(
                    new Stored(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new SettingsUnavailableException("cannot read " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String write(byte[] body, String expectedVersion) {
        try {
            return s3.putObject(
                            b -> {
                                b.bucket(bucket).key(key).contentType("application/json");
                                if (expectedVersion == null) {
                                    b.ifNoneMatch("*");
                                } else {
                                    b.ifMatch(expectedVersion);
                                }
                            },
                            RequestBody.fromBytes(body))
                    .eTag();
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new VersionConflictException(this + " was written by another replica meanwhile", e);
            }
            throw new SettingsUnavailableException("cannot write " + this + ": " + e.getMessage(), e);
        } catch (SdkException e) {
            throw new SettingsUnavailableException("cannot write " + this + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
