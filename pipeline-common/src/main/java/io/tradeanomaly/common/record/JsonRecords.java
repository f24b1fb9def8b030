package io.tradeanomaly.common.record;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pipeline's JSON: records are UTF-8 JSON objects, one per Kinesis record (docs/contracts.md, "Records").
 * Parsing is strict and says exactly what is wrong ({@link RecordRejectedException} with a {@link RejectReason}),
 * because bad input must end in a dead-letter entry with a reason, never in a crash: no byte order mark, no UTF-16/32,
 * no NUL bytes, every key once per object. NaN and Infinity literals are parsed so that a feature holding one is
 * refused with a precise reason rather than as malformed JSON. Thread-safe.
 */
public final class JsonRecords {

    /** Default bound on one record's size; a trade is about 150 bytes, an anomaly about 400. */
    public static final int DEFAULT_MAX_RECORD_BYTES = 16 * 1024;

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private JsonRecords() {}

    /** The mapper every record of the pipeline is read and written with. */
    public static JsonMapper mapper() {
        return MAPPER;
    }

    /** Encodes any value (a record, a dead-letter entry, a figure) as compact UTF-8 JSON. */
    public static byte[] encode(Object value) {
        return MAPPER.writeValueAsBytes(value);
    }

    /** The bytes of a Kinesis record's data, without moving the buffer. */
    public static byte[] bytes(ByteBuffer data) {
        ByteBuffer copy = data.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /**
     * Parses one record: a UTF-8 JSON object of at most {@code maxBytes} bytes, or {@link RecordRejectedException}
     * saying why it is not one.
     */
    public static ObjectNode parseObject(byte[] data, int maxBytes) {
        if (data == null || data.length == 0) {
            throw new RecordRejectedException(RejectReason.EMPTY, "record is empty");
        }
        if (data.length > maxBytes) {
            throw new RecordRejectedException(
                    RejectReason.OVERSIZED,
                    "record is " + data.length + " bytes, larger than the limit of " + maxBytes);
        }
        requireUtf8(data);
        JsonNode node;
        try {
            node = MAPPER.readTree(data);
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
        return (ObjectNode) node;
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

    /** A field's value as shown in a rejection message: its JSON, cut at 40 characters. */
    static String shown(JsonNode value) {
        String shown = value.toString();
        return shown.length() > 40 ? shown.substring(0, 40) + "..." : shown;
    }

    /** Decodes UTF-8 bytes for logs and dead-letter entries, replacing what is not valid UTF-8. */
    public static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }
}
