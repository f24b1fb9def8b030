package io.tradeanomaly.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AnomalyLineTest {

    private static AnomalyLine decode(String json) {
        return AnomalyLine.decode(json.getBytes(StandardCharsets.UTF_8), JsonRecords.DEFAULT_MAX_RECORD_BYTES);
    }

    @Test
    void anAnomalysCanonicalLineIsCompactUtf8WithEveryFieldKept() {
        AnomalyLine line = decode("{\n  \"tickerSymbol\": \"AMZN\", \"tradeType\": \"BUY\", \"price\": 1482.2,"
                + " \"quantity\": 3100,\n  \"id\": 7, \"ANOMALY_SCORE\": 2.5, \"note\": \"caf\u00e9\"\n}");

        assertThat(line.text())
                .isEqualTo("{\"tickerSymbol\":\"AMZN\",\"tradeType\":\"BUY\",\"price\":1482.2,\"quantity\":3100,"
                        + "\"id\":7,\"ANOMALY_SCORE\":2.5,\"note\":\"caf\u00e9\"}");
        assertThat(line.identity()).isEqualTo("id:7");
        assertThat(line.detectedAt()).isNull();
    }

    @Test
    void theIdentityIsWhereTheRecordWasReadAndInAnAggregateItsSubSequenceNumber() {
        assertThat(decode("{\"ANOMALY_SCORE\":2,\"sourceShardId\":\"s-1\",\"sourceSequenceNumber\":\"9\"}")
                        .identity())
                .isEqualTo("s-1/9");
        assertThat(decode("{\"ANOMALY_SCORE\":2,\"sourceShardId\":\"s-1\",\"sourceSequenceNumber\":\"9\","
                                + "\"sourceSubSequenceNumber\":4}")
                        .identity())
                .isEqualTo("s-1/9/4");
        AnomalyLine anonymous = decode("{\"ANOMALY_SCORE\":2,\"v\":1}");
        assertThat(anonymous.identity())
                .startsWith("sha256:")
                .isEqualTo(decode("{\"ANOMALY_SCORE\": 2, \"v\": 1}").identity());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"v\":1}                                              | MISSING_FIELD",
                "{\"ANOMALY_SCORE\":\"high\"}                           | INVALID_FIELD",
                "{\"ANOMALY_SCORE\":NaN}                                | NON_FINITE_NUMBER",
                "{\"ANOMALY_SCORE\":1,\"sourceShardId\":7}              | INVALID_FIELD",
                "{\"ANOMALY_SCORE\":1,\"sourceSubSequenceNumber\":-1}   | INVALID_FIELD",
                "{\"ANOMALY_SCORE\":1,\"detectedAt\":\"soon\"}          | INVALID_FIELD",
                "{\"ANOMALY_SCORE\":1,\"id\":7,\"id\":8}                | DUPLICATE_KEY",
                "not json                                               | MALFORMED_JSON",
            })
    void whatIsNotAnAnomalyRecordIsRefusedWithItsReason(String json, RejectReason reason) {
        assertThatThrownBy(() -> decode(json))
                .isInstanceOfSatisfying(
                        RecordRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
