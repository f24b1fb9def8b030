package io.tradeanomaly.detector;

import static io.tradeanomaly.detector.DetectorITSupport.CODEC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.trade.Trade;
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
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The detector on the local AWS stack: trades in, anomalies out with KDA's field names, runtime threshold, bad input. */
@ExtendWith(LocalAwsExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DetectorIT {

    private static final LocalAwsNamespace NAMES = LocalAwsExtension.newNamespace("DetectorIT");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    /** Good trades this class has put; every test waits until the detector has scored all of them. */
    private static final java.util.concurrent.atomic.AtomicLong PUT = new java.util.concurrent.atomic.AtomicLong();

    private void putAndAwaitScored(LocalAwsStack stack, List<Trade> trades) {
        long expected = PUT.addAndGet(trades.size());
        DetectorITSupport.put(stack, NAMES.tradesStream(), trades);
        // the first batch also waits for KCL's start-up (a random 1-30 s shard-sync delay on a new lease table)
        await().atMost(Duration.ofSeconds(120)).until(() -> scored() >= expected);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        DetectorITSupport.properties(registry, LocalAwsExtension.sharedStack(), NAMES, NAMES.anomaliesStream());
        registry.add("pipeline.aws.call-log", () -> "target/aws-calls/DetectorIT.log"); // checked against IAM
    }

    @Test
    void tradesWithOutliersProduceAnomaliesWithTheKdaFieldNames(LocalAwsStack stack) throws Exception {
        List<Trade> trades = TestTrades.generate(new String[] {"FLD1", "FLD2"}, new double[] {40, 900}, 1600, 0.05, 11);
        putAndAwaitScored(stack, trades);

        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(anomalies(stack, "FLD")).hasSizeGreaterThan(30));

        Set<Long> injected =
                trades.stream().filter(Trade::isInjected).map(Trade::id).collect(Collectors.toSet());
        List<JsonNode> anomalies = anomalies(stack, "FLD");
        for (JsonNode anomaly : anomalies) {
            assertThat(anomaly.propertyNames())
                    .containsExactly(
                            "tickerSymbol",
                            "tradeType",
                            "price",
                            "quantity",
                            "id",
                            "ANOMALY_SCORE",
                            "ANOMALY_EXPLANATION",
                            "tradeTime",
                            "detectedAt",
                            "injected",
                            "sourceShardId",
                            "sourceSequenceNumber",
                            "arrivalTime");
            assertThat(anomaly.get("sourceShardId").stringValue()).matches("shardId-\\d{12}");
            assertThat(anomaly.get("sourceSequenceNumber").stringValue()).matches("\\d+");
            assertThat(java.time.Instant.parse(anomaly.get("arrivalTime").stringValue()))
                    .isBefore(java.time.Instant.parse(anomaly.get("detectedAt").stringValue()));
            // KDA's three fields first, then what the model expected (an extra field KDA-shaped tables ignore)
            assertThat(anomaly.get("ANOMALY_EXPLANATION").get("price").propertyNames())
                    .containsExactly("DIRECTION", "STRENGTH", "ATTRIBUTION_SCORE", "EXPECTED");
            assertThat(anomaly.get("ANOMALY_EXPLANATION")
                            .get("price")
                            .get("EXPECTED")
                            .doubleValue())
                    .isPositive();
            assertThat(anomaly.get("ANOMALY_SCORE").doubleValue()).isGreaterThan(1);
        }
        long correct = anomalies.stream()
                .filter(a -> injected.contains(a.get("id").longValue()))
                .count();
        assertThat(correct).isGreaterThanOrEqualTo(anomalies.size() - 1);
        assertThat(get("/api/anomalies?limit=5").body()).contains("ANOMALY_SCORE");
    }

    @Test
    void aThresholdChangeAppliesFromTheNextBatch(LocalAwsStack stack) throws Exception {
        String[] ticker = {"THR"};
        double[] price = {75};
        DetectorITSupport.put(stack, NAMES.tradesStream(), TestTrades.generate(ticker, price, 600, 0.05, 21));
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(anomalies(stack, "THR")).isNotEmpty());

        assertThat(putThreshold("{\"threshold\":100000}", "it-secret").statusCode())
                .isEqualTo(200);
        List<Trade> muted = TestTrades.generate(ticker, price, 400, 0.1, 22);
        putAndAwaitScored(stack, muted);
        Set<Long> mutedIds = muted.stream().map(Trade::id).collect(Collectors.toSet());
        assertThat(anomalies(stack, "THR"))
                .noneMatch(a -> mutedIds.contains(a.get("id").longValue()));

        assertThat(putThreshold("{\"threshold\":1.0}", "it-secret").statusCode())
                .isEqualTo(200);
        List<Trade> loud = TestTrades.generate(ticker, price, 400, 0.1, 23);
        putAndAwaitScored(stack, loud);
        Set<Long> loudOutliers =
                loud.stream().filter(Trade::isInjected).map(Trade::id).collect(Collectors.toSet());
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(anomalies(stack, "THR").stream()
                                .map(a -> a.get("id").longValue())
                                .filter(loudOutliers::contains)
                                .count())
                        .isGreaterThanOrEqualTo(loudOutliers.size() - 1));
    }

    @Test
    void thresholdChangesNeedCredentialsAndValidValues() throws Exception {
        assertThat(putThreshold("{\"threshold\":2}", "wrong").statusCode()).isEqualTo(401);
        for (String body : List.of(
                "{\"threshold\":0}",
                "{\"threshold\":-1}",
                "{\"threshold\":1e300}",
                "{}",
                "{\"threshold\":\"x\"}",
                "{\"limit\":3}")) {
            HttpResponse<String> response = putThreshold(body, "it-secret");
            assertThat(response.statusCode()).as(body).isEqualTo(400);
            assertThat(response.body()).as(body).contains("\"status\":400");
        }
        assertThat(get("/api/detector/settings").body()).contains("\"threshold\":1.0");
        assertThat(get("/api/anomalies?limit=0").statusCode()).isEqualTo(400);
    }

    @Test
    void malformedRecordsAreDeadLetteredWithTheirReasonAndGoodOnesAllScored(LocalAwsStack stack) throws Exception {
        List<String> bad = List.of(
                "not json",
                "{\"tickerSymbol\":\"BAD\"",
                "[1,2]",
                "{\"tradeType\":\"BUY\",\"price\":1,\"quantity\":1,\"id\":1}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"quantity\":1,\"id\":2}",
                "{\"tickerSymbol\":{\"BAD\":1},\"tradeType\":\"BUY\",\"price\":1,\"quantity\":1,\"id\":3}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":\"1\",\"quantity\":1,\"id\":4}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":NaN,\"quantity\":1,\"id\":5}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":Infinity,\"quantity\":1,\"id\":6}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":-5,\"quantity\":1,\"id\":7}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":0,\"quantity\":1,\"id\":8}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":5,\"quantity\":-1,\"id\":9}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":true,\"quantity\":1,\"id\":10}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":5,\"quantity\":null,\"id\":\"x\"}",
                "{\"tickerSymbol\":[\"BAD\"],\"tradeType\":\"BUY\",\"price\":5,\"quantity\":1,\"id\":11}",
                "{\"tickerSymbol\":\"\",\"tradeType\":\"BUY\",\"price\":5,\"quantity\":1,\"id\":12}",
                "{\"tickerSymbol\":\"BAD\",\"tradeType\":\"BUY\",\"price\":{\"v\":5},\"quantity\":1,\"id\":13}",
                "{\"tickerSymbol\":\"BAD\",\"pad\":\"" + "x".repeat(20_000)
                        + "\",\"tradeType\":\"BUY\",\"price\":5,\"quantity\":1,\"id\":14}",
                "   ",
                "null");
        List<Trade> good = TestTrades.generate(new String[] {"GOOD"}, new double[] {12}, 200, 0.05, 31);
        List<PutRecordsRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            entries.add(DetectorITSupport.raw(
                    good.get(i).tickerSymbol(), new String(CODEC.encode(good.get(i)), StandardCharsets.UTF_8)));
            if (i % 10 == 5) {
                entries.add(DetectorITSupport.raw("BAD", bad.get(i / 10)));
            }
        }
        long expected = PUT.addAndGet(good.size());
        DetectorITSupport.putRaw(stack, NAMES.tradesStream(), entries);

        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(deadLetters(stack)).hasSize(20));
        await().atMost(Duration.ofSeconds(30)).until(() -> scored() >= expected);
        assertThat(scored()).isEqualTo((double) expected);
        List<JsonNode> letters = deadLetters(stack);
        assertThat(letters)
                .allSatisfy(l -> assertThat(l.get("reason").stringValue()).isNotBlank());
        assertThat(letters.stream().map(l -> l.get("reason").stringValue()).collect(Collectors.toSet()))
                .contains(
                        "malformed-json",
                        "missing-field",
                        "invalid-field",
                        "non-finite-number",
                        "non-positive-number",
                        "oversized");
        assertThat(letters).extracting(l -> l.get("data").stringValue()).contains("not json", "[1,2]");
        assertThat(get("/actuator/prometheus").body())
                .contains("records_rejected_total{")
                .contains("reason=\"oversized\"");
        assertThat(get("/actuator/health").body()).contains("\"status\":\"UP\"");
    }

    private double scored() {
        return registry.get("trades.scored").counter().count();
    }

    private List<JsonNode> anomalies(LocalAwsStack stack, String tickerPrefix) {
        return stack.readAll(NAMES.anomaliesStream()).stream()
                .map(r -> JSON.readTree(r.data().asByteArray()))
                .filter(a -> a.get("tickerSymbol").stringValue().startsWith(tickerPrefix))
                .toList();
    }

    private List<JsonNode> deadLetters(LocalAwsStack stack) {
        List<JsonNode> letters = new ArrayList<>();
        for (String key : stack.objectKeys(NAMES.bucket(), "errors/anomaly-detector/")) {
            stack.objectText(NAMES.bucket(), key).lines().map(JSON::readTree).forEach(letters::add);
        }
        return letters;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> putThreshold(String body, String password) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(uri("/api/detector/settings"))
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
