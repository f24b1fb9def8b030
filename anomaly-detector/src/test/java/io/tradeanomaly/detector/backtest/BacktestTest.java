package io.tradeanomaly.detector.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class BacktestTest {

    private static final ScoringSettings DEFAULTS = TestSettings.perTicker();

    /** The backtest of a file with the given detector settings, its output lines and figures. */
    record Run(Map<String, Object> figures, List<JsonNode> lines) {}

    static Run backtest(String file, Map<String, String> detector) throws Exception {
        var properties = TestSettings.properties(detector);
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Map<String, Object> figures = new Backtest(
                        properties.scoring(),
                        properties.schema(),
                        properties.layout(),
                        properties.maxRecordBytes(),
                        null)
                .run(new BufferedReader(new StringReader(file)), output, null);
        List<JsonNode> lines = new ArrayList<>();
        output.toString(StandardCharsets.UTF_8)
                .lines()
                .forEach(l -> lines.add(JsonRecords.mapper().readTree(l)));
        return new Run(figures, lines);
    }

    @Test
    void reportsCountsAndQualityAndWritesOneLinePerTradeInOrder() throws Exception {
        List<Trade> trades = TestTrades.generate(new String[] {"AAA", "BBB"}, new double[] {10, 700}, 4000, 0.05, 51);
        TradeCodec codec = new TradeCodec();
        StringBuilder input = new StringBuilder();
        trades.subList(0, 2000)
                .forEach(t -> input.append(new String(codec.encode(t), StandardCharsets.UTF_8))
                        .append('\n'));
        input.append("this line is not a trade\n");
        trades.subList(2000, 4000)
                .forEach(t -> input.append(new String(codec.encode(t), StandardCharsets.UTF_8))
                        .append('\n'));

        Run run = backtest(input.toString(), Map.of());

        assertThat(run.figures())
                .containsKeys(
                        "records",
                        "anomalies",
                        "recordsPerSecond",
                        "truePositives",
                        "falsePositives",
                        "falseNegatives",
                        "precision",
                        "recall",
                        "f1",
                        "afterWarmup");
        assertThat(run.figures().get("records")).isEqualTo(4000L);
        assertThat(run.figures().get("rejected")).isEqualTo(1L);
        long injected = trades.stream().filter(Trade::isInjected).count();
        assertThat((long) run.figures().get("truePositives")
                        + (long) run.figures().get("falseNegatives"))
                .isEqualTo(injected);
        @SuppressWarnings("unchecked")
        Map<String, Object> warm = (Map<String, Object>) run.figures().get("afterWarmup");
        assertThat((double) warm.get("recall")).isGreaterThanOrEqualTo(0.99);
        assertThat((double) warm.get("precision")).isGreaterThanOrEqualTo(0.95);
        assertThat((long) warm.get("records")).isEqualTo(4000 - 2 * 256);

        assertThat(run.lines()).hasSize(4001);
        assertThat(run.lines().get(2000).get("rejected").stringValue()).startsWith("malformed-json");
        assertThat(run.lines().get(2000).get("input").stringValue()).isEqualTo("this line is not a trade");
        for (int i = 0; i < 4000; i += 97) {
            JsonNode line = run.lines().get(i < 2000 ? i : i + 1);
            assertThat(line.get("id").longValue()).isEqualTo(trades.get(i).id());
            assertThat(line.propertyNames())
                    .containsSubsequence("tickerSymbol", "price", "quantity", "id", "ANOMALY_SCORE")
                    .contains("ANOMALY_EXPLANATION", "anomaly", "injected", "tradeTime");
        }
    }

    /** Sensor readings of several devices, nested JSON, a feature name with spaces; spikes labelled. */
    static String sensors(int perDevice, boolean epochTimes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder file = new StringBuilder();
        long start = 1_764_547_200L; // 2025-12-01T00:00:00Z
        for (int i = 0; i < perDevice; i++) {
            for (String device : new String[] {"pump-1", "pump-2", "pump-3"}) {
                boolean spike = i > 400 && random.nextDouble() < 0.01;
                double temperature = 60 + 5 * Math.sin(i / 50.0) + random.nextGaussian() * 0.3 + (spike ? 25 : 0);
                double pressure = 101.3 + random.nextGaussian() * 0.4;
                long at = start + i * 60L;
                String time =
                        epochTimes ? String.valueOf(at * 1000) : "\"" + java.time.Instant.ofEpochSecond(at) + "\"";
                file.append(String.format(
                        Locale.ROOT,
                        "{\"device\":{\"id\":\"%s\",\"site\":\"north\"},\"ts\":%s,\"temperature\":%.3f,"
                                + "\"Inlet Pressure kPa\":%.3f,\"note\":null,\"spike\":%s}%n",
                        device,
                        time,
                        temperature,
                        pressure,
                        spike));
            }
        }
        return file.toString();
    }

    private static final Map<String, String> SENSORS = Map.of(
            "detector.input.key", "device.id",
            "detector.input.features", "temperature, Inlet Pressure kPa",
            "detector.input.time", "ts",
            "detector.input.label", "spike");

    @Test
    void anyJsonStreamIsScoredByItsConfiguredKeyFeaturesAndTimeAndKeepsItsFields() throws Exception {
        Run run = backtest(sensors(1500, false, 3), SENSORS);

        assertThat(run.lines()).hasSize(4500);
        assertThat(run.figures().get("models")).isEqualTo(3);
        JsonNode first = run.lines().get(0);
        assertThat(first.propertyNames())
                .containsExactly(
                        "device",
                        "ts",
                        "temperature",
                        "Inlet Pressure kPa",
                        "note",
                        "spike",
                        "ANOMALY_SCORE",
                        "ANOMALY_EXPLANATION",
                        "anomaly");
        assertThat(first.get("device").get("site").stringValue()).isEqualTo("north");
        assertThat(first.get("note").isNull()).isTrue();
        JsonNode anomaly = run.lines().stream()
                .filter(l -> l.get("anomaly").booleanValue())
                .findFirst()
                .orElseThrow();
        assertThat(anomaly.get("ANOMALY_EXPLANATION").propertyNames())
                .containsExactly("temperature", "Inlet Pressure kPa");
        assertThat(anomaly.get("ANOMALY_EXPLANATION")
                        .get("temperature")
                        .get("DIRECTION")
                        .stringValue())
                .isEqualTo("HIGH");
        @SuppressWarnings("unchecked")
        Map<String, Object> warm = (Map<String, Object>) run.figures().get("afterWarmup");
        // spikes of one size at 1 % of the records, within the surprise method's learning bound (the sine's swing
        // widens the temperature's scale): each one learnt makes the next a little less surprising
        assertThat((double) warm.get("recall"))
                .as("spikes of 25 degrees caught")
                .isGreaterThanOrEqualTo(0.85);
    }

    @Test
    void epochMillisecondTimesScoreAsTheirIsoTwins() throws Exception {
        Run iso = backtest(sensors(600, false, 4), SENSORS);
        Run epoch = backtest(sensors(600, true, 4), SENSORS);
        for (int i = 0; i < iso.lines().size(); i++) {
            assertThat(epoch.lines().get(i).get("ANOMALY_SCORE").doubleValue())
                    .isEqualTo(iso.lines().get(i).get("ANOMALY_SCORE").doubleValue());
        }
    }

    @Test
    void aCsvFileWithAHeaderScoresAsTheSameRecordsInJson() throws Exception {
        SplittableRandom random = new SplittableRandom(9);
        StringBuilder csv = new StringBuilder("timestamp,host,cpu,\"requests, per s\"\n");
        StringBuilder json = new StringBuilder();
        for (int i = 0; i < 1200; i++) {
            String host = i % 2 == 0 ? "web-01" : "web-02";
            double cpu = Math.round((40 + random.nextGaussian() * 3 + (i == 900 ? 45 : 0)) * 100) / 100.0;
            long requests = 200 + random.nextInt(20);
            String time = "2026-03-01 10:" + String.format("%02d:%02d", (i / 60) % 60, i % 60);
            csv.append(time)
                    .append(',')
                    .append(host)
                    .append(',')
                    .append(cpu)
                    .append(',')
                    .append(requests)
                    .append('\n');
            json.append(String.format(
                    Locale.ROOT,
                    "{\"timestamp\":\"%s\",\"host\":\"%s\",\"cpu\":%s,\"requests, per s\":%d}%n",
                    time,
                    host,
                    cpu,
                    requests));
        }
        Map<String, String> settings = Map.of(
                "detector.input.key", "host",
                "detector.input.features", "cpu",
                "detector.input.time", "timestamp");
        Run fromCsv = backtest(csv.toString(), settings);
        Run fromJson = backtest(json.toString(), settings);

        assertThat(fromCsv.figures().get("format")).isEqualTo("csv");
        assertThat(fromCsv.lines()).hasSize(1200).isEqualTo(fromJson.lines());
        assertThat(fromCsv.lines().get(900).get("anomaly").booleanValue()).isTrue();
    }

    @Test
    void thirtyTwoFeaturesAreScoredAndExplained() throws Exception {
        SplittableRandom random = new SplittableRandom(11);
        StringBuilder file = new StringBuilder();
        List<String> names = new ArrayList<>();
        for (int f = 1; f <= 32; f++) {
            names.add("m" + f);
        }
        for (int i = 0; i < 800; i++) {
            StringBuilder line = new StringBuilder("{\"k\":\"x\"");
            for (int f = 1; f <= 32; f++) {
                double value = 100 + f + random.nextGaussian() + (i == 700 && f == 17 ? 40 : 0);
                line.append(String.format(Locale.ROOT, ",\"m%d\":%.4f", f, value));
            }
            file.append(line).append("}\n");
        }
        Run run = backtest(
                file.toString(), Map.of("detector.input.key", "k", "detector.input.features", String.join(",", names)));
        JsonNode outlier = run.lines().get(700);
        assertThat(outlier.get("anomaly").booleanValue()).isTrue();
        assertThat(outlier.get("ANOMALY_EXPLANATION").propertyNames()).hasSize(32);
        double sum = 0;
        double largest = 0;
        String largestName = null;
        for (String name : names) {
            double attribution = outlier.get("ANOMALY_EXPLANATION")
                    .get(name)
                    .get("ATTRIBUTION_SCORE")
                    .doubleValue();
            sum += attribution;
            if (attribution > largest) {
                largest = attribution;
                largestName = name;
            }
        }
        assertThat(sum)
                .isCloseTo(outlier.get("ANOMALY_SCORE").doubleValue(), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(largestName).isEqualTo("m17");
    }

    @Test
    void eachBadRecordIsRejectedWithItsReasonAndTheRestIsScored() throws Exception {
        String file = String.join(
                "\n",
                "{\"device\":{\"id\":\"a\"},\"v\":1.5}",
                "{\"v\":1.5}",
                "{\"device\":{\"id\":\"a\"}}",
                "{\"device\":{\"id\":\"a\"},\"v\":null}",
                "{\"device\":{\"id\":\"a\"},\"v\":\"12\"}",
                "{\"device\":{\"id\":\"a\"},\"v\":NaN}",
                "{\"device\":{\"id\":\"a\"},\"v\":-Infinity}",
                "{\"device\":{\"id\":[1]},\"v\":1.5}",
                "{\"device\":{\"id\":\"a\"},\"v\":1.5,\"v\":2}",
                "{not json",
                "{\"device\":{\"id\":\"a\"},\"v\":2.5}");
        Run run = backtest(file, Map.of("detector.input.key", "device.id", "detector.input.features", "v"));

        assertThat(run.lines()).hasSize(11);
        assertThat(run.lines().stream()
                        .map(l -> l.has("rejected") ? l.get("rejected").stringValue() : "scored"))
                .containsExactly(
                        "scored",
                        "missing-field: missing field 'device.id'",
                        "missing-field: missing field 'v'",
                        "missing-field: missing field 'v'",
                        "invalid-field: field 'v' must be a number but is \"12\"",
                        "non-finite-number: field 'v' is NaN",
                        "non-finite-number: field 'v' is -Infinity",
                        "invalid-field: field 'device.id' must be a string, an integer or a boolean but is [1]",
                        "duplicate-key: duplicate key: Duplicate Object property \"v\"",
                        run.lines().get(9).get("rejected").stringValue(),
                        "scored");
        assertThat(run.lines().get(9).get("rejected").stringValue()).startsWith("malformed-json");
        assertThat(run.lines().get(1).get("v").doubleValue()).isEqualTo(1.5); // the record's fields are kept
        assertThat(run.figures().get("records")).isEqualTo(2L);
        assertThat(run.figures().get("rejected")).isEqualTo(9L);
    }

    @Test
    void kdasSetupAndTheDefaultScoreAnyStreamNegativeValuesIncluded() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            file.append(String.format(Locale.ROOT, "{\"delta\":%.4f}%n", random.nextGaussian() - (i == 800 ? 30 : 0)));
        }
        for (Map<String, String> settings : List.of(
                Map.of("detector.method", "kda", "detector.input.key", "", "detector.input.features", "delta"),
                Map.of("detector.input.key", "", "detector.input.features", "delta"))) {
            Run run = backtest(file.toString(), settings);
            assertThat(run.figures().get("rejected")).as("%s", settings).isEqualTo(0L);
            assertThat(run.lines().get(800).get("anomaly").booleanValue())
                    .as("%s", settings)
                    .isTrue();
            assertThat(run.lines()
                            .get(800)
                            .get("ANOMALY_EXPLANATION")
                            .get("delta")
                            .get("DIRECTION")
                            .stringValue())
                    .as("%s", settings)
                    .isEqualTo("LOW");
        }

        Run calibrated = backtest(
                file.toString(),
                Map.of("detector.method", "calibrated", "detector.input.key", "", "detector.input.features", "delta"));
        assertThat(calibrated.lines().get(0).get("rejected").stringValue())
                .startsWith("non-positive-number")
                .contains("log scale");
    }
}
