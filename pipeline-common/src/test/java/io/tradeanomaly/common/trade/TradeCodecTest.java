package io.tradeanomaly.common.trade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.record.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TradeCodecTest {

    private final TradeCodec codec = new TradeCodec();
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
        TradeCodec small = new TradeCodec(64);
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

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
