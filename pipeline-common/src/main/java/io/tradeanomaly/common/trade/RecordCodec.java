package io.tradeanomaly.common.trade;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON codec of the pipeline's records (docs/contracts.md, "Records"): UTF-8 JSON, one record per Kinesis record.
 *
 * <p>Decoding validates every field and says exactly what is wrong ({@link RecordRejectedException} with a
 * {@link RejectReason}), because bad input must end in a dead-letter entry with a reason, never in a crash or a
 * silently zeroed field. Records must be UTF-8 (no byte order mark, no UTF-16/32, no NUL bytes) with every key once
 * per object. Unknown fields are ignored so that producers may add fields. Thread-safe.
 */
public final class RecordCodec {

    /** Default bound on one record's size; a trade is about 150 bytes, an anomaly about 400. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024;

    private static final int MAX_TICKER_LENGTH = 32;

    private final JsonMapper mapper;
    private final int maxRecordBytes;

    public RecordCodec() {
        this(DEFAULT_MAX_RECORD_BYTES);
    }

    public RecordCodec(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be > 0");
        }
        this.maxRecordBytes = maxRecordBytes;
        // NaN and Infinity literals are parsed so that they are rejected with a precise reason, not as "malformed".
        this.mapper = JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    public int maxRecordBytes() {
        return maxRecordBytes;
    }

    /** Encodes a trade as compact UTF-8 JSON. */
    public byte[] encode(Trade trade) {
        return mapper.writeValueAsBytes(trade);
    }

    /** Encodes an anomaly as compact UTF-8 JSON with the KDA field names. */
    public byte[] encode(Anomaly anomaly) {
        return mapper.writeValueAsBytes(anomaly);
    }

    /** Encodes any value (e.g. a dead-letter entry) as compact UTF-8 JSON. */
    public byte[] encodeValue(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    public Trade decodeTrade(ByteBuffer data) {
        return decodeTrade(bytes(data));
    }

    /** Decodes and validates a trade, or throws {@link RecordRejectedException} saying why it is not one. */
    public Trade decodeTrade(byte[] data) {
        JsonNode node = parseObject(data);
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

    public Anomaly decodeAnomaly(ByteBuffer data) {
        return decodeAnomaly(bytes(data));
    }

    /** Decodes and validates an anomaly, or throws {@link RecordRejectedException} saying why it is not one. */
    public Anomaly decodeAnomaly(byte[] data) {
        return anomaly(parseObject(data));
    }

    /**
     * An anomaly and its canonical line: the record re-serialized as one line of compact UTF-8 JSON, every field kept
     * (unknown ones too), so that what is stored is exactly what was validated.
     */
    public record AnomalyLine(Anomaly anomaly, byte[] line) {}

    /** Decodes and validates an anomaly and gives its canonical line, or throws {@link RecordRejectedException}. */
    public AnomalyLine decodeAnomalyLine(byte[] data) {
        JsonNode node = parseObject(data);
        return new AnomalyLine(anomaly(node), mapper.writeValueAsBytes(node));
    }

    private Anomaly anomaly(JsonNode node) {
        String ticker = ticker(node);
        TradeType type = tradeType(node);
        double price = positiveFinite(node, "price");
        long quantity = positiveLong(node, "quantity");
        long id = requiredLong(node, "id");
        double score = finite(node, "ANOMALY_SCORE");
        return new Anomaly(
                ticker,
                type,
                price,
                quantity,
                id,
                score,
                explanation(node.get("ANOMALY_EXPLANATION")),
                optionalInstant(node, "tradeTime"),
                optionalInstant(node, "detectedAt"),
                optionalBoolean(node, "injected"),
                optionalString(node, "sourceShardId"),
                optionalString(node, "sourceSequenceNumber"),
                optionalInstant(node, "arrivalTime"));
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    private JsonNode parseObject(byte[] data) {
        if (data == null || data.length == 0) {
            throw new RecordRejectedException(RejectReason.EMPTY, "record is empty");
        }
        if (data.length > maxRecordBytes) {
            throw new RecordRejectedException(
                    RejectReason.OVERSIZED,
                    "record is " + data.length + " bytes, larger than the limit of " + maxRecordBytes);
        }
        requireUtf8(data);
        JsonNode node;
        try {
            node = mapper.readTree(data);
        } catch (JacksonException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate")) {
                throw new RecordRejectedException(
                        RejectReason.DUPLICATE_KEY, "duplicate key: " + e.getOriginalMessage(), e);
            }
            throw new RecordRejectedException(
                    RejectReason.MALFORMED_JSON, "not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new RecordRejectedException(
                    RejectReason.MALFORMED_JSON,
                    "not a JSON object: " + (node == null ? "nothing" : node.getNodeType()));
        }
        return node;
    }

    /** Jackson would detect UTF-16/32 and skip a byte order mark; records must be plain UTF-8. */
    private static void requireUtf8(byte[] data) {
        if (data.length >= 3 && (data[0] & 0xFF) == 0xEF && (data[1] & 0xFF) == 0xBB && (data[2] & 0xFF) == 0xBF) {
            throw new RecordRejectedException(RejectReason.INVALID_ENCODING, "starts with a UTF-8 byte order mark");
        }
        if (data.length >= 2
                && (((data[0] & 0xFF) == 0xFE && (data[1] & 0xFF) == 0xFF)
                        || ((data[0] & 0xFF) == 0xFF && (data[1] & 0xFF) == 0xFE))) {
            throw new RecordRejectedException(RejectReason.INVALID_ENCODING, "UTF-16 (byte order mark), not UTF-8");
        }
        for (byte b : data) {
            if (b == 0) {
                throw new RecordRejectedException(
                        RejectReason.INVALID_ENCODING, "contains NUL bytes (UTF-16 or UTF-32?), not UTF-8");
            }
        }
    }

    private static String optionalString(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.stringValue().isBlank()) {
            throw invalid(field, "a non-blank string", value);
        }
        return value.stringValue();
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

    private static Map<String, FeatureExplanation> explanation(JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw invalid("ANOMALY_EXPLANATION", "an object", value);
        }
        Map<String, FeatureExplanation> result = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> feature : value.properties()) {
            JsonNode f = feature.getValue();
            if (!f.isObject()) {
                throw invalid("ANOMALY_EXPLANATION." + feature.getKey(), "an object", f);
            }
            JsonNode direction = required(f, "DIRECTION");
            FeatureExplanation.Direction dir;
            if (direction.isString() && "HIGH".equals(direction.stringValue())) {
                dir = FeatureExplanation.Direction.HIGH;
            } else if (direction.isString() && "LOW".equals(direction.stringValue())) {
                dir = FeatureExplanation.Direction.LOW;
            } else {
                throw invalid("DIRECTION", "HIGH or LOW", direction);
            }
            JsonNode expected = f.get("EXPECTED");
            result.put(
                    feature.getKey(),
                    new FeatureExplanation(
                            dir,
                            finite(f, "STRENGTH"),
                            finite(f, "ATTRIBUTION_SCORE"),
                            expected == null || expected.isNull() ? null : finite(f, "EXPECTED")));
        }
        return result;
    }

    private static RecordRejectedException invalid(String field, String expected, JsonNode actual) {
        String shown = actual.toString();
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return new RecordRejectedException(
                RejectReason.INVALID_FIELD, "field '" + field + "' must be " + expected + " but is " + shown);
    }

    /** Decodes UTF-8 bytes for logs and dead-letter entries, replacing what is not valid UTF-8. */
    public static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
