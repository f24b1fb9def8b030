package io.tradeanomaly.localaws;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * s3proxy in this JVM, path-style, SigV4 with the local credentials. With a data folder the objects are plain files
 * under it ({@code <dir>/<bucket>/<key>}), so the archive can be browsed with a file manager. It can be stopped and
 * started again on the same port and store, to play "S3 unavailable".
 *
 * <p>s3proxy 4.1.0's file stores write an object to {@code <key>-<random UUID>} beside it and then rename it, and list
 * that temporary file as an object: a listing taken during a write names a key that is gone a moment later (a reader
 * of the listing gets 404 for it for ever). The store is therefore wrapped so that listings leave such in-flight
 * files out ({@link #withoutInFlightWrites}); real S3 never lists an object before its write completes.
 *
 * <p>s3proxy checks a conditional write's {@code If-Match} / {@code If-None-Match} and then writes, with nothing held
 * across the two: two writers racing on one key could both pass the check. The store is therefore also wrapped so that
 * writes to one key are made one at a time and the condition is checked again under that lock
 * ({@link #withAtomicConditionalWrites}), as S3 itself is atomic.
 *
 * <p>s3proxy's file store refuses server-side encryption headers (501); the in-memory one takes them. The file store is
 * therefore wrapped so that it takes and reports them too ({@link ServerSideEncryptionOnDisk}), and a pipeline set to
 * write with SSE-KMS runs against either.
 */
final class S3ProxyServer implements AutoCloseable {

    private final String bindHost;
    private final int port;
    private final BlobStore store;
    private S3Proxy proxy;

    S3ProxyServer(String bindHost, int port, Path dataDir) throws Exception {
        this.bindHost = bindHost;
        this.port = port;
        if (dataDir == null) {
            this.store = withAtomicConditionalWrites(withoutInFlightWrites(new TransientNio2BlobStore()));
        } else {
            Files.createDirectories(dataDir);
            this.store = withAtomicConditionalWrites(withoutInFlightWrites(ServerSideEncryptionOnDisk.wrap(
                    new FilesystemNio2BlobStore(dataDir.toAbsolutePath().toString()))));
        }
        start();
    }

    synchronized void start() throws Exception {
        if (proxy != null) {
            return;
        }
        S3Proxy created = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://" + bindHost + ":" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, LocalAwsStack.ACCESS_KEY, LocalAwsStack.SECRET_KEY)
                .build();
        created.start();
        while (!"STARTED".equals(created.getState())) {
            Thread.onSpinWait();
        }
        proxy = created;
    }

    synchronized void stop() throws Exception {
        if (proxy != null) {
            proxy.stop();
            proxy = null;
        }
    }

    synchronized boolean isRunning() {
        return proxy != null;
    }

    int port() {
        return port;
    }

    /** The name s3proxy gives an object while it is being written: the key, a dash and a random UUID. */
    private static final Pattern IN_FLIGHT =
            Pattern.compile(".+-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

    /**
     * The store, with listings that leave out objects still being written (every other call goes to the store as
     * is). A real key ending in a random (version 4) UUID would be left out too: the pipeline's keys never do.
     */
    static BlobStore withoutInFlightWrites(BlobStore store) {
        // s3proxy's own decorator: its handler looks through it to the store's type (conditional writes need it)
        return new ForwardingBlobStore(store) {
            @Override
            public ListObjectsV2Response list(ListObjectsV2Request request) {
                ListObjectsV2Response listing = super.list(request);
                List<S3Object> complete = listing.contents().stream()
                        .filter(object -> !IN_FLIGHT.matcher(object.key()).matches())
                        .toList();
                if (complete.size() == listing.contents().size()) {
                    return listing;
                }
                return listing.toBuilder()
                        .contents(complete)
                        .keyCount(
                                listing.keyCount() == null
                                        ? null
                                        : complete.size()
                                                + listing.commonPrefixes().size())
                        .build();
            }
        };
    }

    /** Lock stripes for writes: one key always maps to the same stripe. */
    private static final Object[] WRITE_LOCKS = new Object[64];

    static {
        for (int i = 0; i < WRITE_LOCKS.length; i++) {
            WRITE_LOCKS[i] = new Object();
        }
    }

    /**
     * The store, with each write made under its key's lock after checking its {@code If-Match} / {@code If-None-Match}
     * against what is stored then (412 PreconditionFailed otherwise), so that a conditional write is atomic.
     */
    static BlobStore withAtomicConditionalWrites(BlobStore store) {
        return new ForwardingBlobStore(store) {
            @Override
            public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
                String path = request.bucket() + "/" + request.key();
                synchronized (WRITE_LOCKS[Math.floorMod(path.hashCode(), WRITE_LOCKS.length)]) {
                    if (request.ifMatch() != null || request.ifNoneMatch() != null) {
                        HeadObjectResponse stored = super.blobMetadataIfPresent(request.bucket(), request.key());
                        String etag = stored == null ? null : unquoted(stored.eTag());
                        boolean refused = request.ifNoneMatch() != null
                                        && stored != null
                                        && ("*".equals(request.ifNoneMatch())
                                                || unquoted(request.ifNoneMatch())
                                                        .equals(etag))
                                || request.ifMatch() != null
                                        && (stored == null
                                                || !"*".equals(request.ifMatch())
                                                        && !unquoted(request.ifMatch())
                                                                .equals(etag));
                        if (refused) {
                            throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
                        }
                    }
                    return super.putBlob(request, content);
                }
            }
        };
    }

    private static String unquoted(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
