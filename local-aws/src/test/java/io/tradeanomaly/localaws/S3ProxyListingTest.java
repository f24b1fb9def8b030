package io.tradeanomaly.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

class S3ProxyListingTest {

    private static final String BUCKET = "archive";
    private static final String KEY = "2026/12/02/07/anomalous-trades-1-2026-12-02-07-23-49650.json";

    @Test
    void aListingTakenWhileAnObjectIsWrittenNamesNoKeyThatIsGoneAMomentLater(@TempDir Path dir) throws Exception {
        BlobStore raw = new FilesystemNio2BlobStore(dir.toString());
        BlobStore store = S3ProxyServer.withoutInFlightWrites(raw);
        store.createContainer(CreateBucketRequest.builder().bucket(BUCKET).build());
        CountDownLatch release = new CountDownLatch(1);
        byte[] line = "{\"id\":1}\n".getBytes(StandardCharsets.UTF_8);

        CompletableFuture<?> write = CompletableFuture.runAsync(() -> store.putBlob(
                PutObjectRequest.builder()
                        .bucket(BUCKET)
                        .key(KEY)
                        .contentLength((long) line.length)
                        .build(),
                new HeldBack(line, release)));
        try {
            // s3proxy writes the object to a temporary file beside it while the body arrives
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> inFlightFiles(dir).size() == 1);

            assertThat(keys(raw))
                    .as("s3proxy itself lists the temporary file")
                    .hasSize(1)
                    .noneMatch(KEY::equals);
            assertThat(keys(store)).isEmpty();
        } finally {
            release.countDown();
        }
        write.get();
        assertThat(keys(store)).containsExactly(KEY);
    }

    private static List<String> keys(BlobStore store) {
        return store.list(ListObjectsV2Request.builder().bucket(BUCKET).build()).contents().stream()
                .map(S3Object::key)
                .toList();
    }

    private static List<Path> inFlightFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f ->
                            f.getFileName().toString().startsWith("anomalous-trades-1-2026-12-02-07-23-49650.json-"))
                    .toList();
        }
    }

    /** A body that gives its first byte, then waits for the test before the rest. */
    static final class HeldBack extends InputStream {
        private final byte[] data;
        private final CountDownLatch release;
        private int next;

        HeldBack(byte[] data, CountDownLatch release) {
            this.data = data;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            if (next == 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
            return next < data.length ? data[next++] & 0xff : -1;
        }
    }
}
