package io.tradeanomaly.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two detector replicas share their runtime threshold through S3 on the local stack: a change made through one
 * applies in the other within its poll interval (the threshold it scores with, not only what REST shows), two changes
 * made at once through both are stored one after the other (compare-and-set: each answers 200 and counts one version,
 * or 409 and changes nothing) and both replicas end on the stored one, and a replica started afterwards starts with
 * it.
 */
@ExtendWith(LocalAwsExtension.class)
class SharedSettingsIT {

    private static final String KEY = "runtime-settings/anomaly-detector.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aThresholdSetThroughOneReplicaAppliesToAllAndSurvivesARestart(LocalAwsStack stack, LocalAwsNamespace names)
            throws Exception {
        ConfigurableApplicationContext first = start(stack, names, "replica-1");
        ConfigurableApplicationContext second = start(stack, names, "replica-2");
        ConfigurableApplicationContext third = null;
        try {
            assertThat(put(first, "{\"threshold\":3.5}").statusCode()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(threshold(get(second))).isEqualTo(3.5);
                assertThat(scoringThreshold(second)).isEqualTo(3.5);
            });

            // two changes at once, one through each replica: stored one after the other, never mixed
            CompletableFuture<HttpResponse<String>> a =
                    CompletableFuture.supplyAsync(() -> put(first, "{\"threshold\":4}"));
            CompletableFuture<HttpResponse<String>> b =
                    CompletableFuture.supplyAsync(() -> put(second, "{\"threshold\":5}"));
            List<Integer> statuses = List.of(a.join().statusCode(), b.join().statusCode());
            assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(200, 409));
            JsonNode stored = JSON.readTree(stack.objectText(names.bucket(), KEY));
            long applied = statuses.stream().filter(s -> s == 200).count();
            assertThat(stored.get("version").asLong()).isEqualTo(1 + applied);
            double winner = stored.at("/settings/threshold").asDouble();
            assertThat(winner).isIn(4.0, 5.0);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(threshold(get(first))).isEqualTo(winner);
                assertThat(threshold(get(second))).isEqualTo(winner);
            });

            second.close();
            third = start(stack, names, "replica-3");
            assertThat(threshold(get(third)))
                    .as("the stored threshold, at once")
                    .isEqualTo(winner);
            assertThat(scoringThreshold(third)).isEqualTo(winner);
        } finally {
            first.close();
            second.close();
            if (third != null) {
                third.close();
            }
        }
    }

    private static ConfigurableApplicationContext start(LocalAwsStack stack, LocalAwsNamespace names, String worker) {
        List<String> args = new ArrayList<>();
        stack.springProperties().forEach((k, v) -> args.add("--" + k + "=" + v));
        args.addAll(List.of(
                "--server.port=0",
                "--detector.source-stream=" + names.tradesStream(),
                "--detector.anomaly-stream=" + names.anomaliesStream(),
                "--detector.application-name=" + names.detectorApplication(),
                "--detector.dead-letter-bucket=" + names.bucket(),
                "--detector.snapshot-bucket=" + names.bucket(),
                "--detector.settings-bucket=" + names.bucket(),
                "--detector.settings-refresh=500ms",
                "--pipeline.admin.password=it-secret",
                "--pipeline.aws.call-log=target/aws-calls/SharedSettingsIT-" + worker + ".log",
                "--pipeline.kcl.worker-id=" + worker,
                "--pipeline.kcl.shutdown-timeout=5s"));
        return new SpringApplicationBuilder(AnomalyDetectorApplication.class).run(args.toArray(String[]::new));
    }

    private HttpResponse<String> put(ConfigurableApplicationContext replica, String body) {
        String auth = Base64.getEncoder().encodeToString("admin:it-secret".getBytes(StandardCharsets.UTF_8));
        try {
            return http.send(
                    HttpRequest.newBuilder(uri(replica))
                            .header("Authorization", "Basic " + auth)
                            .header("Content-Type", "application/json")
                            .PUT(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private String get(ConfigurableApplicationContext replica) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(replica)).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static double threshold(String settings) {
        return JSON.readTree(settings).get("threshold").asDouble();
    }

    /** The threshold the replica scores with (its gauge reads the store every batch reads). */
    private static double scoringThreshold(ConfigurableApplicationContext replica) {
        return replica.getBean(MeterRegistry.class)
                .get("detector.threshold")
                .gauge()
                .value();
    }

    private static URI uri(ConfigurableApplicationContext replica) {
        return URI.create("http://127.0.0.1:" + replica.getEnvironment().getProperty("local.server.port")
                + "/api/detector/settings");
    }
}
