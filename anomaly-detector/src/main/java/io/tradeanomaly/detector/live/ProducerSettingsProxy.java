package io.tradeanomaly.detector.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Forwards the page's outlier-rate changes to the producer's REST API (its URL is {@code detector.producer-url}), with
 * the caller's credentials, and hands back the producer's answer (validation problems included) unchanged. Going
 * through the detector keeps the page on one origin: no CORS to open on the producer.
 */
public class ProducerSettingsProxy {

    private final URI settingsUri;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public ProducerSettingsProxy(URI producerUrl) {
        this.settingsUri = producerUrl.resolve("/api/producer/settings");
    }

    public ResponseEntity<?> get() {
        return send(HttpRequest.newBuilder(settingsUri).GET());
    }

    public ResponseEntity<?> put(String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(settingsUri)
                .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
                .header("X-Requested-With", "XMLHttpRequest")
                .PUT(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        return send(request);
    }

    private ResponseEntity<?> send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response =
                    http.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return ResponseEntity.status(response.statusCode())
                    .contentType(MediaType.parseMediaType(response.headers()
                            .firstValue(HttpHeaders.CONTENT_TYPE)
                            .orElse(MediaType.APPLICATION_JSON_VALUE)))
                    .body(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unreachable(e);
        } catch (Exception e) {
            return unreachable(e);
        }
    }

    private ResponseEntity<ProblemDetail> unreachable(Exception e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_GATEWAY, "The producer is not reachable at " + settingsUri + ": " + e);
        problem.setTitle("Producer unreachable");
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(problem);
    }
}
