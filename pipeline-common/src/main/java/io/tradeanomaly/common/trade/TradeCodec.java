package io.tradeanomaly.common.trade;

import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.record.RejectReason;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import tools.jackson.databind.JsonNode;

/**
 * The JSON of this project's trades (docs/contracts.md, "Records"), as the producer writes them and its tests read
 * them back. Decoding validates every field of a trade and says exactly what is wrong ({@link
 * RecordRejectedException}); unknown fields are ignored. The detector does not use it: it reads any stream through
 * {@link io.tradeanomaly.common.record.InputSchema}, of which the trade is one configuration. Thread-safe.
 */
public final class TradeCodec {

    private static final int MAX_TICKER_LENGTH = 32;

    private final int maxRecordBytes;

    public TradeCodec() {
        this(JsonRecords.DEFAULT_MAX_RECORD_BYTES);
    }

    public TradeCodec(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be > 0");
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Encodes a trade as compact UTF-8 JSON. */
    public byte[] encode(Trade trade) {
        return JsonRecords.encode(trade);
    }

    public Trade decodeTrade(ByteBuffer data) {
        return decodeTrade(JsonRecords.bytes(data));
    }

    /** Decodes and validates a trade, or throws {@link RecordRejectedException} saying why it is not one. */
    public Trade decodeTrade(byte[] data) {
        JsonNode node = JsonRecords.parseObject(data, maxRecordBytes);
        double price = positiveFinite(node, "price");
        long quantity = positiveLong(node, "quantity");
        return new Trade(
                requiredLong(node, "id"),
                ticker(node),
                tradeType(node),
                price,
                quantity,
                optionalInstant(node, "tradeTime"),
                optionalBoolean(node, "injected"));
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new RecordRejectedException(RejectReason.MISSING_FIELD, "missing field '" + field + "'");
        }
        return value;
    }

    private static long requiredLong(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalid(field, "an integer", value);
        }
        return value.longValue();
    }

    private static long positiveLong(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (value.isNumber() && !Double.isFinite(value.doubleValue())) {
            throw new RecordRejectedException(
                    RejectReason.NON_FINITE_NUMBER, "field '" + field + "' is " + value.doubleValue());
        }
        long result = requiredLong(node, field);
        if (result <= 0) {
            throw new RecordRejectedException(
                    RejectReason.NON_POSITIVE_NUMBER, "field '" + field + "' must be > 0 but is " + result);
        }
        return result;
    }

    private static double finite(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isNumber()) {
            throw invalid(field, "a number", value);
        }
        double result = value.doubleValue();
        if (!Double.isFinite(result)) {
            throw new RecordRejectedException(RejectReason.NON_FINITE_NUMBER, "field '" + field + "' is " + result);
        }
        return result;
    }

    private static double positiveFinite(JsonNode node, String field) {
        double result = finite(node, field);
        if (result <= 0) {
            throw new RecordRejectedException(
                    RejectReason.NON_POSITIVE_NUMBER, "field '" + field + "' must be > 0 but is " + result);
        }
        return result;
    }

    private static String ticker(JsonNode node) {
        JsonNode value = required(node, "tickerSymbol");
        if (!value.isString() || value.stringValue().isBlank()) {
            throw invalid("tickerSymbol", "a non-blank string", value);
        }
        String ticker = value.stringValue();
        if (ticker.length() > MAX_TICKER_LENGTH) {
            throw new RecordRejectedException(
                    RejectReason.INVALID_FIELD,
                    "field 'tickerSymbol' is longer than " + MAX_TICKER_LENGTH + " characters");
        }
        return ticker;
    }

    private static TradeType tradeType(JsonNode node) {
        JsonNode value = required(node, "tradeType");
        if (value.isString()) {
            switch (value.stringValue()) {
                case "BUY":
                    return TradeType.BUY;
                case "SELL":
                    return TradeType.SELL;
                default:
                    break;
            }
        }
        throw invalid("tradeType", "BUY or SELL", value);
    }

    private static Instant optionalInstant(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString()) {
            throw invalid(field, "an ISO-8601 instant", value);
        }
        try {
            return Instant.parse(value.stringValue());
        } catch (DateTimeParseException e) {
            throw invalid(field, "an ISO-8601 instant", value);
        }
    }

    private static Boolean optionalBoolean(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isBoolean()) {
            throw invalid(field, "true or false", value);
        }
        return value.booleanValue();
    }

    private static RecordRejectedException invalid(String field, String expected, JsonNode actual) {
        String shown = actual.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return new RecordRejectedException(
                RejectReason.INVALID_FIELD, "field '" + field + "' must be " + expected + " but is " + shown);
    }
}
