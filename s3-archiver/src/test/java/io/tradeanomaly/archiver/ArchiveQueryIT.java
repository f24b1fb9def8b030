package io.tradeanomaly.archiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.FeatureExplanation;
import io.tradeanomaly.common.s3.S3NdjsonStore;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import io.tradeanomaly.localaws.junit.LocalAwsExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive the real archiver wrote on the local stack, copied out of S3 in s3proxy's file layout (what
 * {@code ./run-local.sh} leaves under {@code .local-aws/s3/}), queried with {@code archive-query.jar}: every example of
 * docs/query.md runs, and each answers what was put on the anomalies stream (republished anomalies included, which
 * the archiver keeps once).
 */
@ExtendWith(LocalAwsExtension.class)
class ArchiveQueryIT {

    private static final Path JAR = Path.of("..", "archive-query", "target", "archive-query.jar")
            .toAbsolutePath()
            .normalize();
    private static final Pattern EXAMPLE = Pattern.compile("```sql\\n-- example: ([a-z0-9-]+)\\n");
    private static final String[] TICKERS = {"AMZN", "GE", "BKNG"};
    private static final DateTimeFormatter MINUTE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    @TempDir
    Path copy;

    @Test
    void everyDocsExampleAnswersWhatTheArchiverWrote(LocalAwsStack stack, LocalAwsNamespace names) throws Exception {
        assertThat(JAR).as("build archive-query first (./mvnw package)").isRegularFile();
        Instant firstMinute = Instant.now().truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(2));
        List<Anomaly> sent = anomalies(firstMinute, 120);
        Anomaly worst = sent.get(37);

        KclConsumer archiver = ArchiverITSupport.consumer(
                stack,
                names,
                new S3NdjsonStore(stack.s3(), names.bucket()),
                "query-it",
                new PartitionSettings(5 << 20, 100_000, Duration.ofSeconds(2)),
                Duration.ofMinutes(10),
                10_000,
                "");
        archiver.start();
        try {
            ArchiverITSupport.put(stack, names.anomaliesStream(), ArchiverITSupport.entries(sent));
            // a detector's replay publishes some again: the archiver keeps each once
            ArchiverITSupport.put(
                    stack,
                    names.anomaliesStream(),
                    ArchiverITSupport.entries(sent.subList(0, 20).stream()
                            .map(ArchiverITSupport::republished)
                            .toList()));
            await().atMost(Duration.ofSeconds(180))
                    .untilAsserted(() -> assertThat(ArchiverITSupport.identityCounts(
                                            ArchiverITSupport.archive(stack, names.bucket(), ""))
                                    .keySet())
                            .hasSize(sent.size()));
        } finally {
            archiver.stop();
        }
        Path archive = copyBucket(stack, names.bucket());

        List<String> examples = docsExamples();
        assertThat(examples)
                .containsExactlyInAnyOrder(
                        "per-ticker-per-minute",
                        "worst-last-hour",
                        "per-ticker",
                        "duplicates",
                        "objects",
                        "above-expected");

        Map<String, Map<String, Long>> perMinute = new TreeMap<>();
        for (Anomaly a : sent) {
            perMinute
                    .computeIfAbsent(
                            MINUTE.format(a.arrivalTime().truncatedTo(ChronoUnit.MINUTES)), m -> new TreeMap<>())
                    .merge(TradeAnomalies.ticker(a), 1L, Long::sum);
        }
        List<Map<String, String>> pivot = query(archive, "per-ticker-per-minute");
        assertThat(pivot).hasSize(perMinute.size());
        for (Map<String, String> row : pivot) {
            Map<String, Long> expected = perMinute.get(row.get("minute"));
            assertThat(expected).as("minute %s", row.get("minute")).isNotNull();
            for (String ticker : TICKERS) {
                assertThat(count(row.get(ticker)))
                        .as("%s at %s", ticker, row.get("minute"))
                        .isEqualTo(expected.getOrDefault(ticker, 0L));
            }
        }

        List<Map<String, String>> worstRows = query(archive, "worst-last-hour");
        assertThat(worstRows).hasSize(10);
        assertThat(worstRows.get(0)).containsEntry("id", Long.toString(TradeAnomalies.id(worst)));
        assertThat(Double.parseDouble(worstRows.get(0).get("score"))).isEqualTo(50.0);
        assertThat(worstRows)
                .extracting(r -> Double.parseDouble(r.get("score")))
                .isSortedAccordingTo((a, b) -> Double.compare(b, a));

        List<Map<String, String>> perTicker = query(archive, "per-ticker");
        assertThat(perTicker).extracting(r -> r.get("tickerSymbol")).containsExactlyInAnyOrder(TICKERS);
        assertThat(perTicker).allSatisfy(r -> assertThat(r.get("anomalies")).isEqualTo("40"));
        assertThat(perTicker)
                .filteredOn(r -> r.get("tickerSymbol").equals(TradeAnomalies.ticker(worst)))
                .singleElement()
                .satisfies(r -> assertThat(Double.parseDouble(r.get("worst"))).isEqualTo(50.0));

        assertThat(query(archive, "duplicates"))
                .singleElement()
                .satisfies(r -> assertThat(r)
                        .containsEntry("anomalies", "120")
                        .containsEntry("distinct_identities", "120")
                        .containsEntry("distinct_trade_ids", "120")
                        .containsEntry("duplicates", "0"));

        List<Map<String, String>> objects = query(archive, "objects");
        assertThat(objects)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(r.get("object")).matches("\\d{4}(-\\d{2}){5}-shardId-\\d{12}"));
        assertThat(objects.stream()
                        .mapToLong(r -> Long.parseLong(r.get("anomalies")))
                        .sum())
                .isBetween(1L, 120L);

        // these records carry no EXPECTED (the detector of this branch does not report it): no rows, no error
        assertThat(query(archive, "above-expected")).isEmpty();
    }

    /** 120 anomalies over two minutes of arrival, three tickers, one far above the rest. */
    private static List<Anomaly> anomalies(Instant firstMinute, int count) {
        List<Anomaly> anomalies = new ArrayList<>();
        long base = System.nanoTime() & 0xFFFFFFFFFFL;
        for (int i = 0; i < count; i++) {
            Instant arrival = firstMinute.plusMillis(i * 1000L + 250);
            Trade trade = new Trade(base + i, TICKERS[i % 3], TradeType.SELL, 100 + i, 500 + i, arrival, i % 2 == 0);
            double score = i == 37 ? 50.0 : 2 + (i % 17) * 0.5;
            anomalies.add(TradeAnomalies.of(
                    trade,
                    score,
                    Map.of(
                            "price", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 1.5, score * 0.9),
                            "quantity", new FeatureExplanation(FeatureExplanation.Direction.LOW, 0.2, score * 0.1)),
                    arrival.plusMillis(400),
                    new Anomaly.Source("shardId-000000000001", Long.toString(9_000_000 + i), arrival)));
        }
        return anomalies;
    }

    /** The bucket as s3proxy's filesystem store lays it out: one file per key under the bucket's folder. */
    private Path copyBucket(LocalAwsStack stack, String bucket) throws IOException {
        Path root = copy.resolve(bucket);
        for (String key : stack.objectKeys(bucket, "")) {
            Path file = root.resolve(key);
            Files.createDirectories(file.getParent());
            Files.writeString(file, stack.objectText(bucket, key));
        }
        return root;
    }

    private static List<String> docsExamples() throws IOException {
        Matcher m = EXAMPLE.matcher(Files.readString(Path.of("..", "docs", "query.md")));
        List<String> names = new ArrayList<>();
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Runs the example with the real jar, as a user does, and reads its CSV (these answers hold no commas). */
    private static List<Map<String, String>> query(Path archive, String example) throws Exception {
        Path out = Files.createTempFile("archive-query", ".csv");
        Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        JAR.toString(),
                        "--archive",
                        archive.toString(),
                        "--example",
                        example,
                        "--format",
                        "csv")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES))
                .as("archive-query finished")
                .isTrue();
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s: %s", example, lines).isZero();
        List<String> header = Arrays.asList(lines.get(0).split(",", -1));
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] values = line.split(",", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                row.put(header.get(i), values[i]);
            }
            rows.add(row);
        }
        return rows;
    }

    private static long count(String value) {
        return value == null || value.isEmpty() || value.equals("NULL") ? 0 : Long.parseLong(value);
    }
}
