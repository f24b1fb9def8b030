package io.tradeanomaly.common.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputSchemaTest {

    private static InputRecord decode(InputSchema schema, String json) {
        return schema.decode(json.getBytes(StandardCharsets.UTF_8), JsonRecords.DEFAULT_MAX_RECORD_BYTES);
    }

    @Test
    void aNestedKeyAndAFeatureNameWithSpacesAreReadByTheirPaths() {
        InputSchema schema = InputSchema.of("device.id", "Inlet Pressure kPa, readings.temp", "", "");
        InputRecord record = decode(
                schema, "{\"device\":{\"id\":\"pump-7\"},\"Inlet Pressure kPa\":101.5,\"readings\":{\"temp\":-3}}");

        assertThat(record.key()).isEqualTo("pump-7");
        assertThat(record.features()).containsExactly(101.5, -3.0);
        assertThat(record.time()).isNull();
        assertThat(record.label()).isNull();
        assertThat(schema.featureNames()).containsExactly("Inlet Pressure kPa", "readings.temp");
    }

    @Test
    void aTopLevelNameWithDotsIsFoundWholeBeforeItIsFollowedAsAPath() {
        InputSchema schema = InputSchema.of("", "cpu.util", "", "");
        assertThat(decode(schema, "{\"cpu.util\":0.5,\"cpu\":{\"util\":0.9}}").features())
                .containsExactly(0.5);
        assertThat(decode(schema, "{\"cpu\":{\"util\":0.9}}").features()).containsExactly(0.9);
    }

    @Test
    void keysMayBeNumbersOrBooleansAndNoKeyFieldIsOneModel() {
        assertThat(decode(InputSchema.of("sensor", "v", "", ""), "{\"sensor\":17,\"v\":1}")
                        .key())
                .isEqualTo("17");
        assertThat(decode(InputSchema.of("", "v", "", ""), "{\"sensor\":17,\"v\":1}")
                        .key())
                .isEmpty();
    }

    @Test
    void thirtyTwoFeaturesAreTheLimit() {
        List<String> names = new ArrayList<>();
        StringBuilder json = new StringBuilder("{\"k\":\"a\"");
        for (int i = 0; i < 32; i++) {
            names.add("f" + i);
            json.append(",\"f").append(i).append("\":").append(i);
        }
        InputRecord record = decode(InputSchema.of("k", String.join(",", names), "", ""), json + "}");
        assertThat(record.features()).hasSize(32).startsWith(0.0, 1.0).endsWith(31.0);

        names.add("f32");
        assertThatThrownBy(() -> InputSchema.of("k", String.join(",", names), "", ""))
                .hasMessageContaining("1 to 32");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"2026-11-26T08:00:00.123Z\"      | 2026-11-26T08:00:00.123Z",
                "\"2026-11-26T09:00:00+01:00\"     | 2026-11-26T08:00:00Z",
                "\"2026-11-26T09:30:00+0130\"      | 2026-11-26T08:00:00Z",
                "\"2026-11-26T08:00:00\"           | 2026-11-26T08:00:00Z",
                "\"2026-11-26 08:00:00\"           | 2026-11-26T08:00:00Z",
                "\"2026-11-26\"                    | 2026-11-26T00:00:00Z",
                "1764144000                        | 2025-11-26T08:00:00Z",
                "1764144000.5                      | 2025-11-26T08:00:00.500Z",
                "1764144000123                     | 2025-11-26T08:00:00.123Z",
                "\"1764144000123\"                 | 2025-11-26T08:00:00.123Z",
                "1764144000123456                  | 2025-11-26T08:00:00.123456Z",
            })
    void eventTimesAreReadInTheFormsStreamsCarryThem(String value, String expected) {
        InputSchema schema = InputSchema.of("", "v", "at", "");
        assertThat(decode(schema, "{\"v\":1,\"at\":" + value + "}").time()).isEqualTo(Instant.parse(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"v\":1,\"at\":1}                            | MISSING_FIELD     | missing field 'k'",
                "{\"k\":null,\"v\":1,\"at\":1}                 | MISSING_FIELD     | missing field 'k'",
                "{\"k\":\" \",\"v\":1,\"at\":1}                | INVALID_FIELD     | field 'k' must be a non-blank string",
                "{\"k\":{\"a\":1},\"v\":1,\"at\":1}            | INVALID_FIELD     | field 'k' must be a string, an integer or a boolean",
                "{\"k\":\"a\",\"at\":1}                        | MISSING_FIELD     | missing field 'v'",
                "{\"k\":\"a\",\"v\":null,\"at\":1}             | MISSING_FIELD     | missing field 'v'",
                "{\"k\":\"a\",\"v\":\"7\",\"at\":1}            | INVALID_FIELD     | field 'v' must be a number but is \"7\"",
                "{\"k\":\"a\",\"v\":true,\"at\":1}             | INVALID_FIELD     | field 'v' must be a number",
                "{\"k\":\"a\",\"v\":NaN,\"at\":1}              | NON_FINITE_NUMBER | field 'v' is NaN",
                "{\"k\":\"a\",\"v\":Infinity,\"at\":1}         | NON_FINITE_NUMBER | field 'v' is Infinity",
                "{\"k\":\"a\",\"v\":1}                         | MISSING_FIELD     | missing field 'at'",
                "{\"k\":\"a\",\"v\":1,\"at\":\"yesterday\"}    | INVALID_FIELD     | field 'at' must be an ISO-8601 time",
                "{\"k\":\"a\",\"v\":1,\"at\":true}             | INVALID_FIELD     | field 'at' must be an ISO-8601 time",
                "[1,2]                                         | MALFORMED_JSON    | not a JSON object",
                "{\"k\":\"a\",\"v\":1,\"v\":2,\"at\":1}        | DUPLICATE_KEY     | duplicate key",
            })
    void aRecordThatCannotBeScoredIsRefusedWithItsReason(String json, RejectReason reason, String message) {
        InputSchema schema = InputSchema.of("k", "v", "at", "");
        assertThatThrownBy(() -> decode(schema, json)).isInstanceOfSatisfying(RecordRejectedException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).contains(message);
        });
    }

    @Test
    void aLongKeyIsRefusedAsAKinesisPartitionKeyCouldNotHoldIt() {
        String key = "k".repeat(257);
        assertThatThrownBy(() -> decode(InputSchema.of("k", "v", "", ""), "{\"k\":\"" + key + "\",\"v\":1}"))
                .hasMessageContaining("longer than 256");
    }

    @Test
    void aLabelIsReadWhereItCanBeAndNeverRefusesARecord() {
        InputSchema schema = InputSchema.of("", "v", "", "label");
        assertThat(decode(schema, "{\"v\":1,\"label\":true}").label()).isTrue();
        assertThat(decode(schema, "{\"v\":1,\"label\":0}").label()).isFalse();
        assertThat(decode(schema, "{\"v\":1,\"label\":\"1\"}").label()).isTrue();
        assertThat(decode(schema, "{\"v\":1,\"label\":\"maybe\"}").label()).isNull();
        assertThat(decode(schema, "{\"v\":1}").label()).isNull();
    }

    @Test
    void theDefaultIsTheTrades() {
        InputRecord trade = decode(
                InputSchema.trades(),
                "{\"id\":1,\"tickerSymbol\":\"AMZN\",\"tradeType\":\"BUY\",\"price\":370.56,\"quantity\":120,"
                        + "\"tradeTime\":\"2026-11-26T08:00:00.123Z\",\"injected\":true}");
        assertThat(trade.key()).isEqualTo("AMZN");
        assertThat(trade.features()).containsExactly(370.56, 120.0);
        assertThat(trade.isLabelled()).isTrue();
    }
}
