package io.tradeanomaly.archiver;

import static io.tradeanomaly.archiver.ArchiverITSupport.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import tools.jackson.databind.JsonNode;

/**
 * The archiver on the local AWS stack: Firehose's key layout, exactly once, bad records, S3 outages; configured, like a
 * Firehose delivery stream with SSE-KMS, to encrypt what it writes with a KMS key ({@code
 * pipeline.aws.s3.sse-kms-key-id}).
 */
@ExtendWith(LocalAwsExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiverIT {

    private static final LocalAwsNamespace NAMES = LocalAwsExtension.newNamespace("ArchiverIT");
    private static final Pattern KEY = Pattern.compile(
            "(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/anomalous-trades-1-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-(\\d{2})-shardId-\\d{12}-\\d+\\.json");
    private static final List<Anomaly> SENT = new ArrayList<>();
    private static final String KMS_KEY = "arn:aws:kms:us-east-1:111122223333:key/archiver-it";
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        LocalAwsExtension.sharedStack().springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("archiver.stream", NAMES::anomaliesStream);
        registry.add("pipeline.aws.call-log", () -> "target/aws-calls/ArchiverIT.log"); // checked against IAM
        registry.add("archiver.application-name", NAMES::archiverApplication);
        registry.add("archiver.bucket", NAMES::bucket);
        // the default (empty) prefix: the calls it records are checked against the policy as deployed
        registry.add("archiver.grace", () -> "2s");
        registry.add("pipeline.aws.s3.sse-kms-key-id", () -> KMS_KEY);
        registry.add("archiver.unhealthy-after", () -> "5s");
        registry.add("pipeline.admin.password", () -> "it-secret"); // health details are shown to the admin only
        registry.add("pipeline.kcl.failover-time", () -> "3s");
        registry.add("pipeline.kcl.lease-assignment-interval", () -> "1s");
        registry.add("pipeline.kcl.dispatch-poll-interval", () -> "200ms");
        registry.add("pipeline.kcl.shard-sync-interval", () -> "1s");
    }

    @Test
    @Order(1)
    void anomaliesOverMoreThanAMinuteLandUnderTheirMinuteKeysExactlyOnce(LocalAwsStack stack) throws Exception {
        Instant start = Instant.now();
        // a batch every 5 s for 70 s: at least two minutes of arrival times
        await().pollInterval(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(90))
                .until(() -> {
                    List<Anomaly> batch = ArchiverITSupport.anomalies(40);
                    ArchiverITSupport.put(stack, NAMES.anomaliesStream(), ArchiverITSupport.entries(batch));
                    SENT.addAll(batch);
                    return Duration.between(start, Instant.now()).toSeconds() >= 70;
                });

        await().atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> assertThat(
                                ArchiverITSupport.idCounts(archive(stack)).keySet())
                        .containsAll(ids(SENT)));

        Map<String, List<JsonNode>> archive = archive(stack);
        assertThat(ArchiverITSupport.idCounts(archive).values()).allMatch(count -> count == 1);
        assertThat(archive.keySet()).hasSizeGreaterThanOrEqualTo(2);
        DateTimeFormatter minute =
                DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm").withZone(ZoneOffset.UTC);
        Set<String> minutes = archive.keySet().stream()
                .map(key -> {
                    var m = KEY.matcher(key);
                    assertThat(m.matches()).as(key).isTrue();
                    assertThat(m.group(1) + m.group(2) + m.group(3) + m.group(4))
                            .isEqualTo(m.group(5) + m.group(6) + m.group(7) + m.group(8));
                    return m.group(5) + "-" + m.group(6) + "-" + m.group(7) + "-" + m.group(8) + "-" + m.group(9);
                })
                .collect(Collectors.toSet());
        assertThat(minutes).hasSizeGreaterThanOrEqualTo(2);
        for (Map.Entry<String, List<JsonNode>> object : archive.entrySet()) {
            String body = stack.objectText(NAMES.bucket(), object.getKey());
            assertThat(body).endsWith("\n");
            assertEncryptedWithTheKey(stack, object.getKey());
            assertThat(body.lines())
                    .allSatisfy(line ->
                            assertThat(JSON.readTree(line).get("ANOMALY_SCORE")).isNotNull());
            // every record of an object arrived in its key's minute; arrival is within seconds after its tradeTime
            String keyMinute = KEY.matcher(object.getKey())
                    .results()
                    .findFirst()
                    .map(m -> m.group(5) + "-" + m.group(6) + "-" + m.group(7) + "-" + m.group(8) + "-" + m.group(9))
                    .orElseThrow();
            assertThat(object.getValue()).allSatisfy(l -> {
                Instant tradeTime = Instant.parse(l.get("tradeTime").stringValue());
                assertThat(keyMinute).isIn(minute.format(tradeTime), minute.format(tradeTime.plusSeconds(10)));
            });
        }
        assertThat(get("/api/archiver/status").body())
                .contains("\"objectsWritten\"")
                .contains("anomalous-trades-1-");
    }

    @Test
    @Order(2)
    void malformedRecordsGoUnderTheErrorPrefixWithTheirReason(LocalAwsStack stack) throws Exception {
        List<PutRecordsRequestEntry> entries =
                new ArrayList<>(ArchiverITSupport.entries(ArchiverITSupport.anomalies(5)));
        entries.add(PutRecordsRequestEntry.builder()
                .partitionKey("x")
                .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String("garbage"))
                .build());
        entries.add(PutRecordsRequestEntry.builder()
                .partitionKey("x")
                .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String(
                        "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1,\"quantity\":1,\"id\":1}"))
                .build());
        // a valid anomaly in UTF-16LE: NUL bytes in a UTF-8 archive would break Athena's SerDe on the whole object
        entries.add(PutRecordsRequestEntry.builder()
                .partitionKey("x")
                .data(software.amazon.awssdk.core.SdkBytes.fromByteArray(new String(
                                ArchiverITSupport.anomalies(1).get(0).encode(), java.nio.charset.StandardCharsets.UTF_8)
                        .getBytes(java.nio.charset.StandardCharsets.UTF_16LE)))
                .build());
        entries.add(PutRecordsRequestEntry.builder()
                .partitionKey("x")
                .data(software.amazon.awssdk.core.SdkBytes.fromUtf8String(
                        "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1,\"quantity\":1,\"id\":7,"
                                + "\"id\":8,\"ANOMALY_SCORE\":2}"))
                .build());
        ArchiverITSupport.put(stack, NAMES.anomaliesStream(), entries);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<JsonNode> errors = new ArrayList<>();
            for (String key : stack.objectKeys(NAMES.bucket(), "errors/s3-archiver/")) {
                assertThat(key)
                        .matches("errors/s3-archiver/\\d{4}/\\d{2}/\\d{2}/\\d{2}/shardId-\\d{12}-"
                                + "\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-5]0\\.json");
                assertEncryptedWithTheKey(stack, key);
                stack.objectText(NAMES.bucket(), key)
                        .lines()
                        .map(JSON::readTree)
                        .forEach(errors::add);
            }
            assertThat(errors)
                    .extracting(e -> e.get("reason").stringValue())
                    .containsExactlyInAnyOrder("malformed-json", "missing-field", "invalid-encoding", "duplicate-key");
            assertThat(errors).extracting(e -> e.get("data").stringValue()).contains("garbage");
            assertThat(errors)
                    .filteredOn(e -> e.get("reason").stringValue().equals("invalid-encoding"))
                    .singleElement()
                    .satisfies(
                            e -> assertThat(e.get("dataEncoding").stringValue()).isEqualTo("base64"));
        });
        assertThat(get("/actuator/prometheus").body())
                .contains(
                        "records_rejected_total{application=\"s3-archiver\",reason=\"malformed-json\",service=\"s3-archiver\"} 1.0");
    }

    @Test
    @Order(3)
    void anS3OutageLosesNothingAndTheArchiveCatchesUp(LocalAwsStack stack) throws Exception {
        stack.stopS3();
        List<Anomaly> during = ArchiverITSupport.anomalies(120);
        try {
            ArchiverITSupport.put(stack, NAMES.anomaliesStream(), ArchiverITSupport.entries(during));
            // the open minute closes (grace 2 s), the write fails and is retried; health turns DOWN after 5 s
            await().atMost(Duration.ofSeconds(90))
                    .untilAsserted(
                            () -> assertThat(getAsAdmin("/actuator/health").body())
                                    .contains("\"s3\":{\"details\"")
                                    .contains("DOWN"));
            assertThat(get("/api/archiver/status").body())
                    .contains("\"lastError\"")
                    .doesNotContain("\"lastError\":null");
        } finally {
            stack.startS3();
        }
        await().atMost(Duration.ofSeconds(90))
                .untilAsserted(() -> assertThat(
                                ArchiverITSupport.idCounts(archive(stack)).keySet())
                        .containsAll(ids(during)));
        assertThat(ArchiverITSupport.idCounts(archive(stack)).values()).allMatch(count -> count == 1);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(getAsAdmin("/actuator/health").body())
                        .startsWith("{\"components\"")
                        .contains("\"status\":\"UP\"}"));
    }

    private static Map<String, List<JsonNode>> archive(LocalAwsStack stack) {
        return ArchiverITSupport.archive(stack, NAMES.bucket(), "");
    }

    private static Set<Long> ids(List<Anomaly> anomalies) {
        return anomalies.stream().map(TradeAnomalies::id).collect(Collectors.toSet());
    }

    private HttpResponse<String> getAsAdmin(String path) throws Exception {
        String auth = java.util.Base64.getEncoder()
                .encodeToString("admin:it-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Basic " + auth)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void assertEncryptedWithTheKey(LocalAwsStack stack, String key) {
        var head = stack.s3().headObject(b -> b.bucket(NAMES.bucket()).key(key));
        assertThat(head.serverSideEncryption()).as(key).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).as(key).isEqualTo(KMS_KEY);
        assertThat(head.bucketKeyEnabled()).as(key).isTrue();
    }
}
