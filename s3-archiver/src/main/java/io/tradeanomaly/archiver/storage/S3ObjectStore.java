package io.tradeanomaly.archiver.storage;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Objects in S3 with the SDK's S3 client (the pipeline wires every AWS client from one set of {@code pipeline.aws}
 * settings, so Spring Cloud AWS's S3Template, configured separately, would not fit). Newline-delimited JSON, with
 * {@code Content-Encoding: gzip} when compressed; PutObject is atomic, so a retried write replaces, never duplicates.
 */
public class S3ObjectStore implements ObjectStore {

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    @Override
    public void put(String key, byte[] body, boolean gzip) {
        s3.putObject(
                b -> {
                    b.bucket(bucket).key(key).contentType("application/x-ndjson");
                    if (gzip) {
                        b.contentEncoding("gzip");
                    }
                },
                RequestBody.fromBytes(body));
    }
}
