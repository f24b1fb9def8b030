package io.tradeanomaly.common.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class AnomalyLayoutTest {

    private static final Instant DETECTED = Instant.parse("2026-11-26T08:00:00.412Z");
    private static final Anomaly.Source SOURCE =
            new Anomaly.Source("shardId-000000000001", "4963", Instant.parse("2026-11-26T08:00:00.200Z"));

    private static InputRecord read(InputSchema schema, String json) {
        return schema.decode(json.getBytes(StandardCharsets.UTF_8), JsonRecords.DEFAULT_MAX_RECORD_BYTES);
    }

    private static Map<String, FeatureExplanation> explanation(String... features) {
        Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
        for (String feature : features) {
            explanation.put(feature, new FeatureExplanation(FeatureExplanation.Direction.HIGH, 1.9, 1.6, 330.2));
        }
        return explanation;
    }

    @Test
    void aTradesAnomalyHasTheKdaLabsColumnsFirstAndThePipelinesFieldsAfter() {
        InputRecord trade = read(
                InputSchema.trades(),
                "{\"id\":1732608000123000,\"tickerSymbol\":\"AMZN\",\"tradeType\":\"BUY\",\"price\":370.56,"
                        + "\"quantity\":120,\"tradeTime\":\"2026-11-26T08:00:00.123Z\",\"injected\":false}");

        Anomaly anomaly = AnomalyLayout.of(InputSchema.trades(), null)
                .anomaly(trade, 2.73, explanation("price", "quantity"), DETECTED, SOURCE);

        assertThat(anomaly.record().propertyNames())
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
        assertThat(anomaly.record().get("ANOMALY_EXPLANATION").get("price").propertyNames())
                .containsExactly("DIRECTION", "STRENGTH", "ATTRIBUTION_SCORE", "EXPECTED");
        assertThat(anomaly.identity()).isEqualTo("shardId-000000000001/4963");
        assertThat(anomaly.key()).isEqualTo("AMZN");
    }

    @Test
    void anyOtherRecordKeepsItsFieldsInTheirOrderWithTheirValuesAndGetsKdasColumnsAfter() {
        InputSchema schema = InputSchema.of("device.id", "Inlet Pressure kPa", "at", "");
        String json = "{\"at\":\"2026-11-26 08:00:00\",\"device\":{\"id\":\"p-1\",\"loc\":[1,2]},"
                + "\"Inlet Pressure kPa\":1e2,\"big\":12345678901234567890,\"ok\":null}";
        InputRecord record = read(schema, json);

        Anomaly anomaly = AnomalyLayout.of(schema, null)
                .anomaly(
                        record,
                        3.5,
                        explanation("Inlet Pressure kPa"),
                        DETECTED,
                        new Anomaly.Source("shardId-000000000000", "77", 3L, DETECTED));

        JsonNode out = anomaly.record();
        assertThat(out.propertyNames())
                .containsExactly(
                        "at",
                        "device",
                        "Inlet Pressure kPa",
                        "big",
                        "ok",
                        "ANOMALY_SCORE",
                        "ANOMALY_EXPLANATION",
                        "detectedAt",
                        "sourceShardId",
                        "sourceSequenceNumber",
                        "sourceSubSequenceNumber",
                        "arrivalTime");
        JsonNode in = JsonRecords.mapper().readTree(json);
        for (String field : List.of("at", "device", "Inlet Pressure kPa", "big", "ok")) {
            assertThat(out.get(field)).as(field).isEqualTo(in.get(field));
        }
        assertThat(anomaly.identity()).isEqualTo("shardId-000000000000/77/3");
        assertThat(AnomalyLine.decode(anomaly.encode(), 1 << 16).identity()).isEqualTo(anomaly.identity());
    }

    @Test
    void configuredColumnsComeFirstAndAnInputFieldNamedLikeOursIsReplaced() {
        InputSchema schema = InputSchema.of("", "v", "", "");
        InputRecord record = read(schema, "{\"a\":1,\"v\":2,\"detectedAt\":\"theirs\",\"b\":3}");

        Anomaly anomaly = new AnomalyLayout(List.of("b", "ANOMALY_SCORE", "missing", "v"))
                .anomaly(record, 1.5, explanation("v"), DETECTED, SOURCE);

        assertThat(anomaly.record().propertyNames())
                .containsExactly(
                        "b",
                        "ANOMALY_SCORE",
                        "v",
                        "a",
                        "ANOMALY_EXPLANATION",
                        "detectedAt",
                        "sourceShardId",
                        "sourceSequenceNumber",
                        "arrivalTime");
        assertThat(anomaly.record().get("detectedAt").stringValue()).isEqualTo(DETECTED.toString());
    }
}
