package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A conditional write on the local S3 is atomic, as on S3: of two writers that both read version 1 and write with
 * {@code If-Match} on it, the one that comes second is refused (412) even when it arrives while the first is still
 * writing (s3proxy alone checks the condition before the write and holds nothing across the two).
 */
class S3ProxyConditionalWritesTest {

    private static final String BUCKET = "settings";
    private static final String KEY = "runtime-settings/anomaly-detector.json";

    @Test
    void ofTwoWritersOnTheSameVersionTheSecondIsRefused(@TempDir Path dir) throws Exception {
        BlobStore store = S3ProxyServer.withAtomicConditionalWrites(
                S3ProxyServer.withoutInFlightWrites(new FilesystemNio2BlobStore(dir.toString())));
        store.createContainer(CreateBucketRequest.builder().bucket(BUCKET).build());
        String first = put(store, "{\"v\":1}", null).eTag();

        CountDownLatch release = new CountDownLatch(1);
        byte[] body = "{\"v\":2}".getBytes(StandardCharsets.UTF_8);
        CompletableFuture<?> slow = CompletableFuture.runAsync(
                () -> store.putBlob(request(body.length, first), new S3ProxyListingTest.HeldBack(body, release)));
        await().atMost(Duration.ofSeconds(10)).until(() -> inFlight(dir)); // the first writer is writing
        CompletableFuture<?> racing = CompletableFuture.runAsync(() -> put(store, "{\"v\":3}", first));

        release.countDown();
        slow.get();
        assertThat(racing)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .withCauseInstanceOf(S3ProxyException.class)
                .satisfies(e -> assertThat(((S3ProxyException) e.getCause()).getError())
                        .isEqualTo(S3ErrorCode.PRECONDITION_FAILED));
        assertThat(new String(store.getBlob(BUCKET, KEY).readAllBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"v\":2}");
    }

    @Test
    void ifNoneMatchRefusesAnExistingKeyAndIfMatchAMissingOne(@TempDir Path dir) {
        BlobStore store = S3ProxyServer.withAtomicConditionalWrites(new FilesystemNio2BlobStore(dir.toString()));
        store.createContainer(CreateBucketRequest.builder().bucket(BUCKET).build());
        assertThat(refused(() -> put(store, "{}", "\"nothing-yet\""))).isTrue();
        put(store, "{}", null);
        assertThat(refused(() -> store.putBlob(
                        PutObjectRequest.builder()
                                .bucket(BUCKET)
                                .key(KEY)
                                .contentLength(2L)
                                .ifNoneMatch("*")
                                .build(),
                        new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)))))
                .isTrue();
    }

    private static boolean refused(Runnable write) {
        try {
            write.run();
            return false;
        } catch (S3ProxyException | CompletionException e) {
            return true;
        }
    }

    private static software.amazon.awssdk.services.s3.model.PutObjectResponse put(
            BlobStore store, String text, String ifMatch) {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        return store.putBlob(request(body.length, ifMatch), new ByteArrayInputStream(body));
    }

    private static PutObjectRequest request(long length, String ifMatch) {
        return PutObjectRequest.builder()
                .bucket(BUCKET)
                .key(KEY)
                .contentLength(length)
                .ifMatch(ifMatch)
                .build();
    }

    private static boolean inFlight(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("anomaly-detector.json-"));
        }
    }
}
