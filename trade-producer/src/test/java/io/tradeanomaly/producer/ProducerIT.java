package io.tradeanomaly.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.common.settings.S3SettingsDocument;
import io.tradeanomaly.common.settings.SharedSettings;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import io.tradeanomaly.producer.settings.ProducerSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The running producer on the local AWS stack: trades on the stream, REST tuning, validation and authentication. */
@ExtendWith(LocalAwsExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProducerIT {

    private static final String PASSWORD = "it-secret";
    private static final LocalAwsNamespace NAMES = LocalAwsExtension.newNamespace("ProducerIT");
    private static final TradeCodec CODEC = new TradeCodec();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        LocalAwsExtension.sharedStack().springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("producer.stream", NAMES::tradesStream);
        registry.add("producer.settings-bucket", NAMES::bucket);
        registry.add("producer.settings-refresh", () -> "500ms");
        registry.add("pipeline.aws.call-log", () -> "target/aws-calls/ProducerIT.log"); // checked against IAM
        registry.add("producer.tick-interval-ms", () -> "250");
        registry.add("producer.seed", () -> "7");
        registry.add("pipeline.admin.password", () -> PASSWORD);
    }

    @Test
    void putsTradesThatAPlainSdkReaderGetsBack(LocalAwsStack stack) {
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(trades(stack)).hasSizeGreaterThanOrEqualTo(1000));

        List<Trade> trades = trades(stack);
        Set<Long> ids = new HashSet<>();
        trades.forEach(t -> ids.add(t.id()));
        assertThat(ids).as("unique ids").hasSize(trades.size());
        assertThat(stack.readAll(NAMES.tradesStream()))
                .allSatisfy(r -> assertThat(r.partitionKey())
                        .isEqualTo(CODEC.decodeTrade(r.data().asByteArray()).tickerSymbol()));
    }

    @Test
    void outlierRateChangeShowsInTheStreamWithinAFewTicks(LocalAwsStack stack) throws Exception {
        HttpResponse<String> response = put("{\"outlierRate\":0.2}", PASSWORD);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"outlierRate\":0.2");
        Instant changed = Instant.now().plusSeconds(1); // the tick in flight may still use the old rate

        try {
            await().atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> assertThat(tradesAfter(stack, changed)).hasSizeGreaterThanOrEqualTo(2000));
            List<Trade> after = tradesAfter(stack, changed);
            double share = after.stream().filter(Trade::isInjected).count() / (double) after.size();
            assertThat(share).isBetween(0.16, 0.24);
        } finally {
            put("{\"outlierRate\":0.05}", PASSWORD);
        }
    }

    @Test
    void aChangeMadeThroughAnotherReplicaAppliesHereWithinSeconds(LocalAwsStack stack) throws Exception {
        // what a second replica runs: the same shared settings on the same S3 object
        SharedSettings<ProducerSettings> otherReplica = new SharedSettings<>(
                "trade-producer settings",
                new S3SettingsDocument(stack.s3(), NAMES.bucket(), "runtime-settings/trade-producer.json"),
                ProducerSettings.class,
                tools.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readValue(get("/api/producer/settings").body(), ProducerSettings.class),
                Clock.systemUTC());
        otherReplica.refresh();
        try {
            otherReplica.update(current -> new ProducerSettings(
                    current.recordsPerTick(),
                    current.tickIntervalMs(),
                    0.125,
                    current.priceFactor(),
                    current.quantityFactor(),
                    current.running()));

            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() ->
                            assertThat(get("/api/producer/settings").body()).contains("\"outlierRate\":0.125"));
        } finally {
            put("{\"outlierRate\":0.05}", PASSWORD);
        }
    }

    @Test
    void mutationsNeedTheAdminCredentials() throws Exception {
        HttpResponse<String> anonymous = http.send(
                HttpRequest.newBuilder(uri("/api/producer/settings"))
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"outlierRate\":0.3}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).contains("problem+json"));
        assertThat(put("{\"outlierRate\":0.3}", "wrong").statusCode()).isEqualTo(401);
        assertThat(get("/api/producer/settings").body()).doesNotContain("\"outlierRate\":0.3");
    }

    @Test
    void invalidValuesAreRefusedWithProblemDetailsAndChangeNothing() throws Exception {
        String before = get("/api/producer/settings").body();
        for (String body : List.of(
                "{\"outlierRate\":1.5}",
                "{\"recordsPerTick\":0}",
                "{\"recordsPerTick\":10001}",
                "{\"tickIntervalMs\":5}",
                "{\"priceFactor\":{\"min\":5,\"max\":2}}",
                "{\"quantityFactor\":{\"min\":0.5,\"max\":2}}",
                "{\"recordsPerTick\":200,\"outlierRate\":-1}",
                "{\"bogus\":1}",
                "{not json")) {
            HttpResponse<String> response = put(body, PASSWORD);
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type"))
                    .as(body)
                    .hasValueSatisfying(v -> assertThat(v).contains("application/problem+json"));
            assertThat(response.body()).as(body).contains("\"status\":400");
        }
        assertThat(put("{\"outlierRate\":1.5}", PASSWORD).body()).contains("outlierRate");
        assertThat(get("/api/producer/settings").body()).isEqualTo(before);
    }

    @Test
    void shardEstimateAnswersAndValidates() throws Exception {
        HttpResponse<String> ok =
                get("/api/producer/shard-estimate?recordSizeBytes=128&recordsPerSecond=100&consumers=1");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"shards\":1");
        assertThat(get("/api/producer/shard-estimate?recordSizeBytes=0&recordsPerSecond=100&consumers=1")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void onlyHealthInfoAndPrometheusOfActuatorAreExposed() throws Exception {
        // health details (the stream's state) only for the admin
        assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"").doesNotContain("tradesStream");
        assertThat(getAsAdmin("/actuator/health").body())
                .contains("\"status\":\"UP\"")
                .contains("tradesStream");
        assertThat(get("/actuator/prometheus").body())
                .contains("trades_produced_total")
                .contains("kinesis_put_records_seconds");
        assertThat(get("/actuator/info").statusCode()).isEqualTo(200);
        for (String hidden :
                List.of("/actuator/env", "/actuator/beans", "/actuator/configprops", "/actuator/loggers")) {
            assertThat(get(hidden).statusCode()).as(hidden).isEqualTo(404);
        }
        assertThat(get("/v3/api-docs").body()).contains("/api/producer/settings");
    }

    private List<Trade> trades(LocalAwsStack stack) {
        return stack.readAll(NAMES.tradesStream()).stream()
                .map(r -> CODEC.decodeTrade(r.data().asByteArray()))
                .toList();
    }

    private List<Trade> tradesAfter(LocalAwsStack stack, Instant from) {
        return trades(stack).stream().filter(t -> !t.tradeTime().isBefore(from)).toList();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> getAsAdmin(String path) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(uri(path))
                        .header("Authorization", "Basic " + auth)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String body, String password) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(uri("/api/producer/settings"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Basic " + auth)
                        .PUT(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
