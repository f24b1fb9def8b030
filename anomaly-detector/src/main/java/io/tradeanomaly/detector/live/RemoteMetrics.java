package io.tradeanomaly.detector.live;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Another service's own figures, read from its {@code /actuator/prometheus} without blocking the caller: each
 * {@link #poll()} sends one asynchronous GET (never two at once) and keeps the answer. A service that does not
 * answer, or answers with an error, is "not reachable" with the reason, never an exception.
 */
public class RemoteMetrics {

    /** What the service reported, and when. */
    public record Reading(Instant at, Map<String, Double> values) {
        public Double value(String name) {
            return values.get(name);
        }
    }

    /**
     * Whether the live page can show a service's figures.
     *
     * @param name the service
     * @param url where it is polled
     * @param reachable whether it answered lately
     * @param problem why not, when it is not reachable
     * @param lastSeen when it last answered, null if never
     */
    public record Status(String name, String url, boolean reachable, String problem, Instant lastSeen) {}

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final String name;
    private final URI uri;
    private final Map<String, PrometheusText.Aggregation> wanted;
    private final HttpClient http;
    private final Clock clock;
    private final Duration staleAfter;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile Reading latest;
    private volatile String problem = "not polled yet";

    /**
     * @param name the service, for the page
     * @param baseUrl the service's base URL (its {@code /actuator/prometheus} is read)
     * @param wanted the metrics to read and how to combine their samples
     * @param http the client (its connect timeout bounds a dead host)
     * @param clock for the readings' times
     * @param staleAfter how old the last answer may be for the service to count as reachable
     */
    RemoteMetrics(
            String name,
            URI baseUrl,
            Map<String, PrometheusText.Aggregation> wanted,
            HttpClient http,
            Clock clock,
            Duration staleAfter) {
        this.name = name;
        this.uri = baseUrl.resolve("/actuator/prometheus");
        this.wanted = Map.copyOf(wanted);
        this.http = http;
        this.clock = clock;
        this.staleAfter = staleAfter;
    }

    /** Sends one GET unless the previous one is still out; returns at once. */
    public void poll() {
        if (!inFlight.compareAndSet(false, true)) {
            return;
        }
        try {
            http.sendAsync(
                            HttpRequest.newBuilder(uri)
                                    .timeout(TIMEOUT)
                                    .header("Accept", "text/plain")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, error) -> {
                        try {
                            accept(response, error);
                        } finally {
                            inFlight.set(false);
                        }
                    });
        } catch (RuntimeException e) {
            inFlight.set(false);
            problem = describe(e);
        }
    }

    private void accept(HttpResponse<String> response, Throwable error) {
        if (error != null) {
            problem = describe(error);
        } else if (response.statusCode() != 200) {
            problem = "HTTP " + response.statusCode() + " from " + uri;
        } else {
            latest = new Reading(clock.instant(), PrometheusText.read(response.body(), wanted));
            problem = null;
        }
    }

    /** The last reading, if the service answered the last poll and not too long ago. */
    public Optional<Reading> fresh() {
        Reading reading = latest;
        if (reading == null
                || problem != null
                || reading.at().isBefore(clock.instant().minus(staleAfter))) {
            return Optional.empty();
        }
        return Optional.of(reading);
    }

    public Status status() {
        Reading reading = latest;
        boolean reachable = fresh().isPresent();
        String why = reachable ? null : (problem != null ? problem : "no answer for " + staleAfter.toSeconds() + " s");
        return new Status(name, uri.resolve("/").toString(), reachable, why, reading == null ? null : reading.at());
    }

    /** The failure as a person reads it: its type and the first message along its causes. */
    private static String describe(Throwable error) {
        Throwable top = error;
        while (top instanceof java.util.concurrent.CompletionException && top.getCause() != null) {
            top = top.getCause();
        }
        String message = null;
        for (Throwable t = top; t != null && message == null; t = t.getCause() == t ? null : t.getCause()) {
            message = t.getMessage() == null || t.getMessage().isBlank() ? null : t.getMessage();
        }
        if (message == null && top instanceof java.net.ConnectException) {
            message = "cannot connect (is it running?)";
        }
        return top.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
