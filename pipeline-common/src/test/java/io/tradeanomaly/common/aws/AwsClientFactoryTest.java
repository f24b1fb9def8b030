package io.tradeanomaly.common.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;

/** An S3 call that hangs fails after its configured bound, so that the caller retries instead of stalling a shard. */
class AwsClientFactoryTest {

    @Test
    void anS3CallToAServerThatNeverAnswersFailsWithinItsTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(hung.accept()); // accepts, reads nothing, answers nothing
                    }
                } catch (IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            URI endpoint = URI.create("http://127.0.0.1:" + hung.getLocalPort());
            PipelineAwsProperties properties = new PipelineAwsProperties(
                    "us-east-1",
                    null,
                    new PipelineAwsProperties.ServiceEndpoint(null),
                    new PipelineAwsProperties.ServiceEndpoint(null),
                    new PipelineAwsProperties.S3(endpoint, true, Duration.ofMillis(500), Duration.ofSeconds(2), null),
                    new PipelineAwsProperties.ServiceEndpoint(null),
                    new PipelineAwsProperties.Credentials("test", "test"),
                    null);

            long start = System.nanoTime();
            try (S3Client s3 = new AwsClientFactory(properties).s3()) {
                assertThatThrownBy(() ->
                                s3.getObjectAsBytes(b -> b.bucket("archive").key("k")))
                        .isInstanceOf(SdkClientException.class);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        } finally {
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
