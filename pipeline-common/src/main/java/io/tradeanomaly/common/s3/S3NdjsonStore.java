package io.tradeanomaly.common.s3;

import io.tradeanomaly.common.retry.Backoff;
import io.tradeanomaly.common.retry.Retries;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Objects of lines in one S3 bucket (newline-delimited JSON, or another {@link LineFormat} such as the archiver's
 * Parquet), written so that no writer can lose what another stored: a write
 * creates the object only if it does not exist ({@code If-None-Match: *}); if it does, the stored lines and the new
 * ones are merged by identity ({@link LineMerge}) and written back only if the object is still the one read
 * ({@code If-Match: <ETag>}), again on a conflict. A replay that rebuilds an object identically changes nothing, a
 * stale owner's shorter object never replaces a longer one, and dead letters of the same minute written by different
 * batches end up in one object. Objects may be GZIP-compressed ({@code Content-Encoding: gzip}).
 *
 * <p>A stored object that is not of the format written (a Parquet key holding what is not Parquet: another writer's) is
 * kept byte for byte, as an unreadable JSON line is: it is copied under the aside prefix (its key and ETag appended),
 * then replaced, still conditionally on its ETag, by the lines written. Without an aside prefix the write fails with
 * {@link LineFormat.UnreadableObjectException} and the object is left as it is.
 */
public final class S3NdjsonStore implements NdjsonStore {

    private static final Backoff CONFLICTS = new Backoff(10, Duration.ofMillis(20), Duration.ofMillis(500));

    private static final Logger log = LoggerFactory.getLogger(S3NdjsonStore.class);

    private final S3Client s3;
    private final String bucket;
    private final String asidePrefix;

    public S3NdjsonStore(S3Client s3, String bucket) {
        this(s3, bucket, null);
    }

    /**
     * @param asidePrefix where stored objects that are not of the format written are kept before they are replaced
     *     (e.g. {@code errors/s3-archiver/unreadable/}); null: such a write fails
     */
    public S3NdjsonStore(S3Client s3, String bucket, String asidePrefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.asidePrefix = asidePrefix;
    }

    public String bucket() {
        return bucket;
    }

    @Override
    public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
        return write(key, lines, LineFormat.ndjson(gzip), identity);
    }

    @Override
    public Outcome write(String key, List<byte[]> lines, LineFormat format, Function<byte[], String> identity) {
        return Retries.call(
                "Writing s3://" + bucket + "/" + key, CONFLICTS, () -> true, S3NdjsonStore::isConflict, () -> {
                    if (put(key, format.encode(lines), format, null)) {
                        return Outcome.CREATED;
                    }
                    ResponseBytes<GetObjectResponse> stored =
                            s3.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                    List<byte[]> merged = LineMerge.union(storedLines(key, stored, format), lines, identity);
                    if (merged == null) {
                        return Outcome.UNCHANGED;
                    }
                    if (!put(
                            key,
                            format.encode(merged),
                            format,
                            stored.response().eTag())) {
                        throw new ConflictException(key);
                    }
                    return Outcome.MERGED;
                });
    }

    /** The lines of the stored object, or none once an object not of the format is kept aside. */
    private List<byte[]> storedLines(String key, ResponseBytes<GetObjectResponse> stored, LineFormat format) {
        try {
            return format.decode(decoded(stored));
        } catch (LineFormat.UnreadableObjectException e) {
            if (asidePrefix == null) {
                throw e;
            }
            String aside = asidePrefix + key + "-" + stored.response().eTag().replace("\"", "");
            s3.putObject(
                    b -> {
                        b.bucket(bucket)
                                .key(aside)
                                .contentType(stored.response().contentType());
                        if (stored.response().contentEncoding() != null) {
                            b.contentEncoding(stored.response().contentEncoding());
                        }
                    },
                    RequestBody.fromBytes(stored.asByteArray()));
            log.warn(
                    "s3://{}/{} is not {} ({}): kept as s3://{}/{} and replaced",
                    bucket,
                    key,
                    format.extension(),
                    e.getMessage(),
                    bucket,
                    aside);
            return List.of();
        }
    }

    @Override
    public List<String> list(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .filter(key -> !key.endsWith("/"))
                .toList();
    }

    @Override
    public byte[] read(String key) {
        return decoded(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)));
    }

    /** A conditional put: false when the condition failed (the object exists, or changed since it was read). */
    private boolean put(String key, byte[] body, LineFormat format, String ifMatch) {
        byte[] stored = format.gzip() ? gzip(body) : body;
        try {
            s3.putObject(
                    b -> {
                        b.bucket(bucket).key(key).contentType(format.contentType());
                        if (format.gzip()) {
                            b.contentEncoding("gzip");
                        }
                        if (ifMatch == null) {
                            b.ifNoneMatch("*");
                        } else {
                            b.ifMatch(ifMatch);
                        }
                    },
                    RequestBody.fromBytes(stored));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return false;
            }
            throw e;
        }
    }

    /** 409: S3's answer when a conditional write raced another one; 412 on the merge's write: changed since read. */
    private static boolean isConflict(Throwable e) {
        return e instanceof ConflictException || (e instanceof S3Exception s3 && s3.statusCode() == 409);
    }

    private static final class ConflictException extends RuntimeException {
        ConflictException(String key) {
            super(key + " changed while it was merged", null, false, false);
        }
    }

    private static byte[] decoded(ResponseBytes<GetObjectResponse> object) {
        byte[] bytes = object.asByteArray();
        if (!"gzip".equalsIgnoreCase(object.response().contentEncoding())) {
            return bytes;
        }
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
