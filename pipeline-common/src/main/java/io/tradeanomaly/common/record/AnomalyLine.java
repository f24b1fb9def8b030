package io.tradeanomaly.common.record;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An anomaly record as the archiver stores it: one canonical line of compact UTF-8 JSON (every field kept, in its
 * order), its identity and when it was detected. The archiver archives whatever anomaly records arrive, of any
 * stream: it requires only a JSON object with a finite numeric {@code ANOMALY_SCORE}, and well-formed pipeline fields
 * where present.
 *
 * @param identity the anomaly's identity (see {@link #identity(JsonNode, byte[])})
 * @param detectedAt when the detector found it, null when the record does not say
 * @param line the record re-serialized as one line
 */
public record AnomalyLine(String identity, Instant detectedAt, byte[] line) {

    /** Decodes and validates an anomaly record, or throws {@link RecordRejectedException} saying why it is not one. */
    public static AnomalyLine decode(byte[] data, int maxRecordBytes) {
        ObjectNode record = JsonRecords.parseObject(data, maxRecordBytes);
        JsonNode score = record.get(Anomaly.SCORE);
        if (score == null || score.isNull()) {
            throw new RecordRejectedException(RejectReason.MISSING_FIELD, "missing field '" + Anomaly.SCORE + "'");
        }
        if (!score.isNumber()) {
            throw invalid(Anomaly.SCORE, "a number", score);
        }
        if (!Double.isFinite(score.doubleValue())) {
            throw new RecordRejectedException(
                    RejectReason.NON_FINITE_NUMBER, "field '" + Anomaly.SCORE + "' is " + JsonRecords.shown(score));
        }
        optionalText(record, Anomaly.SOURCE_SHARD);
        optionalText(record, Anomaly.SOURCE_SEQUENCE);
        JsonNode sub = record.get(Anomaly.SOURCE_SUB_SEQUENCE);
        if (sub != null
                && !sub.isNull()
                && !(sub.isIntegralNumber() && sub.canConvertToLong() && sub.longValue() >= 0)) {
            throw invalid(Anomaly.SOURCE_SUB_SEQUENCE, "a non-negative integer", sub);
        }
        Instant detectedAt = null;
        String detected = optionalText(record, Anomaly.DETECTED_AT);
        if (detected != null) {
            try {
                detectedAt = Instant.parse(detected);
            } catch (java.time.format.DateTimeParseException e) {
                throw invalid(Anomaly.DETECTED_AT, "an ISO-8601 instant", record.get(Anomaly.DETECTED_AT));
            }
        }
        byte[] line = JsonRecords.encode(record);
        return new AnomalyLine(identity(record, line), detectedAt, line);
    }

    /**
     * What makes an anomaly one: the input record's shard, sequence number and, in a KPL aggregate, sub-sequence number
     * ({@code shard/sequence[/sub]}), unique by construction; a record without them (written by another tool) is
     * known by its {@code id} when it has one ({@code id:<id>}), else by the SHA-256 of its canonical line.
     *
     * @param line the record's canonical line, or null to encode it here when it is needed
     */
    static String identity(JsonNode record, byte[] line) {
        JsonNode shard = record.get(Anomaly.SOURCE_SHARD);
        JsonNode sequence = record.get(Anomaly.SOURCE_SEQUENCE);
        if (shard != null && shard.isString() && sequence != null && sequence.isString()) {
            JsonNode sub = record.get(Anomaly.SOURCE_SUB_SEQUENCE);
            String position = shard.stringValue() + "/" + sequence.stringValue();
            return sub == null || sub.isNull() ? position : position + "/" + sub.asString();
        }
        JsonNode id = record.get("id");
        if (id != null && id.isValueNode() && !id.isNull()) {
            return "id:" + id.asString();
        }
        try {
            byte[] bytes = line != null ? line : JsonRecords.encode(record);
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static String optionalText(ObjectNode record, String field) {
        JsonNode value = record.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isString() || value.stringValue().isBlank()) {
            throw invalid(field, "a non-blank string", value);
        }
        return value.stringValue();
    }

    private static RecordRejectedException invalid(String field, String expected, JsonNode actual) {
        return new RecordRejectedException(
                RejectReason.INVALID_FIELD,
                "field '" + field + "' must be " + expected + " but is " + JsonRecords.shown(actual));
    }

    /** The line as text (tests, logs). */
    public String text() {
        return new String(line, StandardCharsets.UTF_8);
    }
}
