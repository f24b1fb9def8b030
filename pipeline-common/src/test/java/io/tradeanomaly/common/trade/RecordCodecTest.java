package io.tradeanomaly.common.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class RecordCodecTest {

    private final RecordCodec codec = new RecordCodec();
    private final JsonMapper plain = JsonMapper.builder().build();

    private static final Trade TRADE = new Trade(
            1732608000123000L, "AMZN", TradeType.BUY, 370.56, 120, Instant.parse("2026-11-26T08:00:00.123Z"), false);

    @Test
    void tradeHasExactlyTheFieldNamesOfTheContract() {
        JsonNode json = plain.readTree(codec.encode(TRADE));

        assertThat(json.propertyNames())
                .containsExactly("id", "tickerSymbol", "tradeType", "price", "quantity", "tradeTime", "injected");
        assertThat(json.get("id").longValue()).isEqualTo(1732608000123000L);
        assertThat(json.get("tradeType").stringValue()).isEqualTo("BUY");
        assertThat(json.get("price").doubleValue()).isEqualTo(370.56);
        assertThat(json.get("quantity").longValue()).isEqualTo(120);
        assertThat(json.get("tradeTime").stringValue()).isEqualTo("2026-11-26T08:00:00.123Z");
        assertThat(json.get("injected").booleanValue()).isFalse();
    }

    @Test
    void tradeRoundTrips() {
        assertThat(codec.decodeTrade(codec.encode(TRADE))).isEqualTo(TRADE);
    }

    @Test
    void tradeWithoutOptionalFieldsDecodes() {
        Trade trade = codec.decodeTrade(
                bytes("{\"tickerSymbol\":\"GE\",\"tradeType\":\"SELL\",\"price\":25.1,\"quantity\":3,\"id\":7}"));

        assertThat(trade).isEqualTo(new Trade(7, "GE", TradeType.SELL, 25.1, 3, null, null));
        assertThat(trade.isInjected()).isFalse();
    }

    @Test
    void anomalyHasTheKinesisDataAnalyticsFieldNames() {
        Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
        explanation.put("price", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 1.9, 1.6));
        explanation.put("quantity", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 1.2, 1.13));
        Anomaly anomaly = Anomaly.of(
                TRADE,
                2.73,
                explanation,
                Instant.parse("2026-11-26T08:00:00.412Z"),
                new Anomaly.Source("shardId-000000000001", "4963", Instant.parse("2026-11-26T08:00:00.200Z")));

        JsonNode json = plain.readTree(codec.encode(anomaly));

        assertThat(json.propertyNames())
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
        assertThat(codec.decodeAnomaly(codec.encode(anomaly))).isEqualTo(anomaly);
        assertThat(anomaly.identity()).isEqualTo("shardId-000000000001/4963");
        assertThat(json.get("ANOMALY_EXPLANATION").get("price").propertyNames())
                .containsExactly("DIRECTION", "STRENGTH", "ATTRIBUTION_SCORE");
        assertThat(json.get("ANOMALY_EXPLANATION")
                        .get("quantity")
                        .get("DIRECTION")
                        .stringValue())
                .isEqualTo("HIGH");
        assertThat(codec.decodeAnomaly(codec.encode(anomaly))).isEqualTo(anomaly);
    }

    @Test
    void anExplanationMayCarryWhatTheModelExpectedAsAnExtraField() {
        Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
        explanation.put("price", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 9.3, 5.1, 330.2));
        explanation.put("quantity", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 4.4, 1.9, 610.0));
        Anomaly anomaly = Anomaly.of(
                TRADE,
                7.0,
                explanation,
                Instant.parse("2026-11-26T08:00:00.412Z"),
                new Anomaly.Source("shardId-000000000001", "4963", Instant.parse("2026-11-26T08:00:00.200Z")));

        JsonNode json = plain.readTree(codec.encode(anomaly));

        // the KDA fields first and unchanged; EXPECTED beside them, ignored by KDA-shaped Athena tables
        assertThat(json.get("ANOMALY_EXPLANATION").get("price").propertyNames())
                .containsExactly("DIRECTION", "STRENGTH", "ATTRIBUTION_SCORE", "EXPECTED");
        assertThat(json.get("ANOMALY_EXPLANATION").get("price").get("EXPECTED").doubleValue())
                .isEqualTo(330.2);
        assertThat(codec.decodeAnomaly(codec.encode(anomaly))).isEqualTo(anomaly);
        assertThatThrownBy(
                        () -> codec.decodeAnomaly(
                                bytes(
                                        "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1.0,"
                                                + "\"quantity\":1,\"id\":1,\"ANOMALY_SCORE\":2.0,\"ANOMALY_EXPLANATION\":{\"price\":"
                                                + "{\"DIRECTION\":\"LOW\",\"STRENGTH\":1,\"ATTRIBUTION_SCORE\":2,\"EXPECTED\":\"x\"}}}")))
                .isInstanceOf(RecordRejectedException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not json at all                                                              | MALFORMED_JSON",
                "{\"tickerSymbol\":\"A\"                                                      | MALFORMED_JSON",
                "[1,2,3]                                                                      | MALFORMED_JSON",
                "{\"tradeType\":\"BUY\",\"price\":1.0,\"quantity\":1,\"id\":1}                | MISSING_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"quantity\":1,\"id\":1}       | MISSING_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":null,\"quantity\":1,\"id\":1} | MISSING_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1.0,\"quantity\":1}  | MISSING_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"HOLD\",\"price\":1.0,\"quantity\":1,\"id\":1} | INVALID_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":\"1.0\",\"quantity\":1,\"id\":1} | INVALID_FIELD",
                "{\"tickerSymbol\":7,\"tradeType\":\"BUY\",\"price\":1.0,\"quantity\":1,\"id\":1} | INVALID_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1.0,\"quantity\":1.5,\"id\":1} | INVALID_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1.0,\"quantity\":1,\"id\":\"x\"} | INVALID_FIELD",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":NaN,\"quantity\":1,\"id\":1} | NON_FINITE_NUMBER",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":Infinity,\"quantity\":1,\"id\":1} | NON_FINITE_NUMBER",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":-3.5,\"quantity\":1,\"id\":1} | NON_POSITIVE_NUMBER",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":0,\"quantity\":1,\"id\":1} | NON_POSITIVE_NUMBER",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1.0,\"quantity\":-4,\"id\":1} | NON_POSITIVE_NUMBER",
                "{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"price\":1.0,\"quantity\":1,\"id\":1,\"tradeTime\":\"yesterday\"} | INVALID_FIELD",
            })
    void malformedTradesAreRejectedWithAClearReason(String json, RejectReason reason) {
        assertThatThrownBy(() -> codec.decodeTrade(bytes(json)))
                .isInstanceOfSatisfying(RecordRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void missingFieldMessageNamesTheField() {
        assertThatThrownBy(() -> codec.decodeTrade(bytes("{\"tickerSymbol\":\"A\",\"tradeType\":\"BUY\",\"id\":1}")))
                .hasMessageContaining("'price'");
    }

    @Test
    void emptyAndOversizedRecordsAreRejectedBeforeParsing() {
        RecordCodec small = new RecordCodec(64);
        byte[] big = codec.encode(new Trade(1, "X".repeat(30), TradeType.BUY, 1, 1, Instant.EPOCH, true));

        assertThatThrownBy(() -> small.decodeTrade(new byte[0]))
                .isInstanceOfSatisfying(
                        RecordRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.EMPTY));
        assertThatThrownBy(() -> small.decodeTrade(big))
                .isInstanceOfSatisfying(
                        RecordRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.OVERSIZED));
    }

    @Test
    void anAnomalysCanonicalLineIsCompactUtf8WithEveryFieldKept() {
        byte[] pretty = bytes("{\n  \"tickerSymbol\": \"AMZN\", \"tradeType\": \"BUY\", \"price\": 1482.2,"
                + " \"quantity\": 3100,\n  \"id\": 7, \"ANOMALY_SCORE\": 2.5, \"note\": \"caf\u00e9\"\n}");

        RecordCodec.AnomalyLine line = codec.decodeAnomalyLine(pretty);

        assertThat(new String(line.line(), StandardCharsets.UTF_8))
                .isEqualTo("{\"tickerSymbol\":\"AMZN\",\"tradeType\":\"BUY\",\"price\":1482.2,\"quantity\":3100,"
                        + "\"id\":7,\"ANOMALY_SCORE\":2.5,\"note\":\"caf\u00e9\"}");
        assertThat(line.anomaly().identity()).isEqualTo("id:7");
    }

    @Test
    void byteOrderMarksUtf16AndNulBytesAreRejectedAsInvalidEncoding() {
        byte[] utf8 = codec.encode(TRADE);
        byte[] bom = new byte[utf8.length + 3];
        bom[0] = (byte) 0xEF;
        bom[1] = (byte) 0xBB;
        bom[2] = (byte) 0xBF;
        System.arraycopy(utf8, 0, bom, 3, utf8.length);
        byte[] utf16 = new String(utf8, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16LE);
        byte[] utf16WithBom = new String(utf8, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);

        for (byte[] data : new byte[][] {bom, utf16, utf16WithBom}) {
            assertThatThrownBy(() -> codec.decodeTrade(data))
                    .isInstanceOfSatisfying(
                            RecordRejectedException.class,
                            e -> assertThat(e.reason()).isEqualTo(RejectReason.INVALID_ENCODING));
        }
    }

    @Test
    void aKeyTwiceInOneObjectIsRejected() {
        byte[] twice = bytes("{\"tickerSymbol\":\"GE\",\"tradeType\":\"SELL\",\"price\":25.1,\"quantity\":3,"
                + "\"id\":7,\"id\":8,\"ANOMALY_SCORE\":2.5}");

        assertThatThrownBy(() -> codec.decodeAnomalyLine(twice))
                .isInstanceOfSatisfying(
                        RecordRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(RejectReason.DUPLICATE_KEY));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
