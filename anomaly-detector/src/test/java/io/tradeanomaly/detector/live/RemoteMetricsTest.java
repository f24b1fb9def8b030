package io.tradeanomaly.detector.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RemoteMetricsTest {

    private static final Map<String, PrometheusText.Aggregation> WANTED =
            Map.of("trades_produced_total", PrometheusText.Aggregation.SUM);
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void readsTheServicesOwnFiguresFromItsPrometheusEndpoint() throws Exception {
        AtomicInteger status = new AtomicInteger(200);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/prometheus", exchange -> {
            byte[] body = "trades_produced_total{injected=\"false\"} 42.0\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        RemoteMetrics remote =
                remote(URI.create("http://127.0.0.1:" + server.getAddress().getPort()));

        assertThat(remote.status().reachable()).isFalse();
        remote.poll();
        await().atMost(Duration.ofSeconds(5)).until(() -> remote.fresh().isPresent());
        assertThat(remote.fresh().orElseThrow().value("trades_produced_total")).isEqualTo(42.0);
        assertThat(remote.status().reachable()).isTrue();

        status.set(503); // an error answer makes it unreachable too, with the reason
        remote.poll();
        await().atMost(Duration.ofSeconds(5)).until(() -> !remote.status().reachable());
        assertThat(remote.status().problem()).contains("HTTP 503");
        assertThat(remote.fresh()).isEmpty();
    }

    @Test
    void aServiceThatDoesNotListenIsNotReachableWithTheReasonNeverAnException() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RemoteMetrics remote = remote(URI.create("http://127.0.0.1:" + closedPort));

        remote.poll();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(remote.status().problem()).contains("ConnectException"));
        assertThat(remote.status().reachable()).isFalse();
        assertThat(remote.status().url()).isEqualTo("http://127.0.0.1:" + closedPort + "/");
        assertThat(remote.fresh()).isEmpty();
    }

    private RemoteMetrics remote(URI base) {
        return new RemoteMetrics("trade-producer", base, WANTED, http, Clock.systemUTC(), Duration.ofSeconds(30));
    }
}
