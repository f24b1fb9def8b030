package io.tradeanomaly.detector.snapshots;

import io.tradeanomaly.detector.scoring.ModelStore;
import java.util.Optional;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Model snapshots as S3 objects under a prefix ({@code model-snapshots/anomaly-detector/ticker/AMZN.bin.gz}). */
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
    public Optional<byte[]> load(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(objectKey(key)))
                    .asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public void save(String key, byte[] snapshot) {
        s3.putObject(
                b -> b.bucket(bucket).key(objectKey(key)).contentType("application/octet-stream"),
                RequestBody.fromBytes(snapshot));
    }

    public String objectKey(String key) {
        return prefix + key + ".bin.gz";
    }
}
