package io.tradeanomaly.common.record;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the detector reads of the input stream's records, by configuration ({@code detector.input.*},
 * docs/contracts.md "Any stream"): the field whose value picks the model, 1 to {@value #MAX_FEATURES} numeric
 * features, an optional event-time field and an optional label. Everything else of a record is carried through
 * untouched. A record is refused (dead-lettered with the reason) only for what scoring needs: its key or a feature
 * missing, null, not a number (or, for the key, not a string, number or boolean), NaN or infinite; or a configured
 * time field that is missing or not a time. Thread-safe.
 *
 * @param key the field that picks the model; null: one model (per shard) for the whole stream
 * @param features the numeric fields scored, in order; their names key {@code ANOMALY_EXPLANATION}
 * @param time the event-time field; null: the Kinesis arrival time is the time
 * @param label a field holding a known-anomaly label (true/false, 1/0), read only to measure quality; null: none
 */
public record InputSchema(FieldPath key, List<FieldPath> features, FieldPath time, FieldPath label) {

    public static final int MAX_FEATURES = 32;
    /** Longest key value: a Kinesis partition key holds at most 256 characters. */
    public static final int MAX_KEY_LENGTH = 256;

    /** The default: the trades of this project's producer (and of the KDA lab). */
    public static final String TRADE_KEY = "tickerSymbol";

    public static final String TRADE_FEATURES = "price,quantity";
    public static final String TRADE_LABEL = "injected";

    public InputSchema {
        features = List.copyOf(features);
        if (features.isEmpty() || features.size() > MAX_FEATURES) {
            throw new IllegalArgumentException(
                    "detector.input.features must name 1 to " + MAX_FEATURES + " fields, not " + features.size());
        }
        Set<String> names = new HashSet<>();
        for (FieldPath feature : features) {
            if (!names.add(feature.name())) {
                throw new IllegalArgumentException("detector.input.features names '" + feature + "' twice");
            }
        }
    }

    /**
     * The schema of the settings as users write them.
     *
     * @param key the key field, blank for one model
     * @param features comma-separated field names (blanks around commas are trimmed)
     * @param time the time field, blank for the arrival time
     * @param label the label field, blank for none
     * @throws IllegalArgumentException saying which setting is wrong
     */
    public static InputSchema of(String key, String features, String time, String label) {
        List<FieldPath> paths = new ArrayList<>();
        if (features != null && !features.isBlank()) {
            for (String name : features.split(",", -1)) {
                paths.add(FieldPath.of(name));
            }
        }
        return new InputSchema(optional(key), paths, optional(time), optional(label));
    }

    /** This project's trades: key {@code tickerSymbol}, features {@code price,quantity}, label {@code injected}. */
    public static InputSchema trades() {
        return of(TRADE_KEY, TRADE_FEATURES, null, TRADE_LABEL);
    }

    private static FieldPath optional(String name) {
        return name == null || name.isBlank() ? null : FieldPath.of(name);
    }

    /** The feature names in order, as they key the explanation. */
    public List<String> featureNames() {
        return features.stream().map(FieldPath::name).toList();
    }

    /** The key field's name, or null for one model. */
    public String keyName() {
        return key == null ? null : key.name();
    }

    /** Parses and reads one record, or throws {@link RecordRejectedException} saying why it cannot be scored. */
    public InputRecord decode(byte[] data, int maxRecordBytes) {
        return read(JsonRecords.parseObject(data, maxRecordBytes));
    }

    /** Reads a parsed record, or throws {@link RecordRejectedException} saying why it cannot be scored. */
    public InputRecord read(ObjectNode fields) {
        String keyValue = key == null ? "" : keyOf(fields);
        double[] values = new double[features.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = number(fields, features.get(i));
        }
        Instant at = time == null ? null : timeOf(fields);
        return new InputRecord(keyValue, values, at, label == null ? null : labelOf(fields), fields);
    }

    private String keyOf(ObjectNode fields) {
        JsonNode value = required(fields, key);
        String text;
        if (value.isString()) {
            text = value.stringValue();
        } else if (value.isIntegralNumber() || value.isBoolean()) {
            text = value.asString();
        } else {
            throw invalid(key, "a string, an integer or a boolean", value);
        }
        if (text.isBlank()) {
            throw invalid(key, "a non-blank string", value);
        }
        if (text.length() > MAX_KEY_LENGTH) {
            throw new RecordRejectedException(
                    RejectReason.INVALID_FIELD,
                    "field '" + key + "' is longer than " + MAX_KEY_LENGTH + " characters (a Kinesis partition key)");
        }
        return text;
    }

    private static double number(ObjectNode fields, FieldPath feature) {
        JsonNode value = required(fields, feature);
        if (!value.isNumber()) {
            throw invalid(feature, "a number", value);
        }
        double result = value.doubleValue();
        if (!Double.isFinite(result)) {
            throw new RecordRejectedException(RejectReason.NON_FINITE_NUMBER, "field '" + feature + "' is " + result);
        }
        return result;
    }

    private Instant timeOf(ObjectNode fields) {
        JsonNode value = required(fields, time);
        Instant at = null;
        if (value.isNumber() && Double.isFinite(value.doubleValue())) {
            at = EventTimes.fromEpoch(
                    value.isIntegralNumber() ? new BigDecimal(value.bigIntegerValue()) : value.decimalValue());
        } else if (value.isString()) {
            at = EventTimes.parse(value.stringValue());
        }
        if (at == null) {
            throw invalid(time, "an ISO-8601 time or a number of (milli)seconds since the epoch", value);
        }
        return at;
    }

    private Boolean labelOf(ObjectNode fields) {
        JsonNode value = label.find(fields);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        if (value.isNumber()) {
            return value.doubleValue() != 0;
        }
        if (value.isString()) {
            return switch (value.stringValue().strip().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1" -> Boolean.TRUE;
                case "false", "0" -> Boolean.FALSE;
                default -> null;
            };
        }
        return null; // a label is never needed to score: an unreadable one is no label
    }

    private static JsonNode required(ObjectNode fields, FieldPath path) {
        JsonNode value = path.find(fields);
        if (value == null || value.isNull() || value.isMissingNode()) {
            throw new RecordRejectedException(RejectReason.MISSING_FIELD, "missing field '" + path + "'");
        }
        return value;
    }

    private static RecordRejectedException invalid(FieldPath field, String expected, JsonNode actual) {
        return new RecordRejectedException(
                RejectReason.INVALID_FIELD,
                "field '" + field + "' must be " + expected + " but is " + JsonRecords.shown(actual));
    }
}
