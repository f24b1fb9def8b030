package io.tradeanomaly.detector.snapshots;

import io.tradeanomaly.detector.scoring.ModelStore;
import io.tradeanomaly.detector.scoring.SnapshotConflictException;
import io.tradeanomaly.detector.scoring.SnapshotUnavailableException;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Model snapshots as S3 objects under a prefix ({@code model-snapshots/anomaly-detector/ticker/AMZN.bin.gz}). Only a
 * 404 means "no snapshot": any other failure (a 503, a timeout, or the 403 S3 answers for a missing key when the
 * reader may not list the bucket) means "cannot tell". Writes are conditional (S3 {@code If-None-Match: *} for a
 * first snapshot, {@code If-Match: <ETag>} after), so a stale owner cannot replace a newer snapshot.
 */
public class S3ModelStore implements ModelStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3ModelStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public Optional<Stored> load(String key) {
        try {
            ResponseBytes<GetObjectResponse> object =
                    s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey(key)));
            return Optional.of(
                    new Stored(object.asByteArray(), object.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            String hint =
                    e.statusCode() == 403 ? " (a missing key answers 403 without s3:ListBucket on the bucket)" : "";
            throw new SnapshotUnavailableException(
                    "cannot read s3://" + bucket + "/" + objectKey(key) + ": " + e.statusCode() + hint, e);
        } catch (SdkException e) {
            throw new SnapshotUnavailableException("cannot read s3://" + bucket + "/" + objectKey(key), e);
        }
    }

    @Override
    public String save(String key, byte[] snapshot, String expectedVersion) {
        try {
            return s3.putObject(
                            b -> {
                                b.bucket(bucket).key(objectKey(key)).contentType("application/octet-stream");
                                if (expectedVersion == null) {
                                    b.ifNoneMatch("*");
                                } else {
                                    b.ifMatch(expectedVersion);
                                }
                            },
                            RequestBody.fromBytes(snapshot))
                    .eTag();
        } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                throw new SnapshotConflictException(
                        "the snapshot of " + key + " was written by another owner meanwhile", e);
            }
            throw e;
        }
    }

    public String objectKey(String key) {
        return prefix + key + ".bin.gz";
    }
}
