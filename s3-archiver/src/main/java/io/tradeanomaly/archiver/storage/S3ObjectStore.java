package io.tradeanomaly.archiver.storage;

import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

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
    public List<String> list(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .filter(key -> !key.endsWith("/"))
                .toList();
    }

    @Override
    public byte[] get(String key) {
        var response = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        byte[] bytes = response.asByteArray();
        if ("gzip".equalsIgnoreCase(response.response().contentEncoding())) {
            try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                return in.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return bytes;
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
