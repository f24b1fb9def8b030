package io.tradeanomaly.common.record;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds anomaly records and orders their fields: first the configured {@code columns} (input fields and the
 * pipeline's own fields by name, like the SELECT list of a KDA query; names the record lacks are skipped), then every
 * other input field in the order it arrived, then {@code ANOMALY_SCORE} and {@code ANOMALY_EXPLANATION}, then the
 * pipeline's fields ({@link Anomaly#OUTPUT_FIELDS}). Values are the input's own JSON values, unchanged. An input field
 * that has the name of one of the pipeline's fields is replaced by the pipeline's. Thread-safe.
 */
public final class AnomalyLayout {

    /**
     * The KDA lab's output columns ({@code SELECT tickerSymbol, tradeType, price, quantity, id, ANOMALY_SCORE}) and
     * the fields this pipeline has always written after them: the layout of the trade default.
     */
    public static final List<String> TRADE_COLUMNS = List.of(
            "tickerSymbol",
            "tradeType",
            "price",
            "quantity",
            "id",
            Anomaly.SCORE,
            Anomaly.EXPLANATION,
            "tradeTime",
            Anomaly.DETECTED_AT,
            "injected");

    private static final Set<String> OUTPUT = Set.copyOf(Anomaly.OUTPUT_FIELDS);
    private static final JsonNodeFactory NODES = JsonRecords.mapper().getNodeFactory();

    private final List<String> columns;

    public AnomalyLayout(List<String> columns) {
        this.columns = List.copyOf(columns);
    }

    /**
     * The layout of a schema: {@code columns} when given, else the trades' layout for the trade schema (so the
     * default output stays that of the KDA lab) and the input's own order for any other stream.
     */
    public static AnomalyLayout of(InputSchema schema, List<String> columns) {
        if (columns != null) {
            return new AnomalyLayout(columns);
        }
        boolean trades = InputSchema.TRADE_KEY.equals(schema.keyName())
                && String.join(",", schema.featureNames()).equals(InputSchema.TRADE_FEATURES);
        return new AnomalyLayout(trades ? TRADE_COLUMNS : List.of());
    }

    public List<String> columns() {
        return columns;
    }

    /** The anomaly record of a scored input record. */
    public Anomaly anomaly(
            InputRecord input,
            double score,
            Map<String, FeatureExplanation> explanation,
            Instant detectedAt,
            Anomaly.Source source) {
        Map<String, JsonNode> ours = new LinkedHashMap<>();
        ours.put(Anomaly.SCORE, NODES.numberNode(score));
        ours.put(
                Anomaly.EXPLANATION,
                explanation == null ? NODES.nullNode() : JsonRecords.mapper().valueToTree(explanation));
        putInstant(ours, Anomaly.DETECTED_AT, detectedAt);
        if (source != null) {
            putString(ours, Anomaly.SOURCE_SHARD, source.shardId());
            putString(ours, Anomaly.SOURCE_SEQUENCE, source.sequenceNumber());
            if (source.subSequenceNumber() != null) {
                ours.put(Anomaly.SOURCE_SUB_SEQUENCE, NODES.numberNode(source.subSequenceNumber()));
            }
            putInstant(ours, Anomaly.ARRIVAL, source.arrivalTime());
        }
        ObjectNode fields = input.fields();
        ObjectNode record = NODES.objectNode();
        Set<String> placed = new HashSet<>();
        for (String column : columns) {
            JsonNode value = OUTPUT.contains(column) ? ours.get(column) : fields.get(column);
            if (value != null && placed.add(column)) {
                record.set(column, value);
            }
        }
        for (Map.Entry<String, JsonNode> field : fields.properties()) {
            if (!OUTPUT.contains(field.getKey()) && placed.add(field.getKey())) {
                record.set(field.getKey(), field.getValue());
            }
        }
        ours.forEach((name, value) -> {
            if (placed.add(name)) {
                record.set(name, value);
            }
        });
        return new Anomaly(record, input.key(), score, explanation, detectedAt, source, input.label());
    }

    private static void putString(Map<String, JsonNode> fields, String name, String value) {
        if (value != null) {
            fields.put(name, NODES.stringNode(value));
        }
    }

    private static void putInstant(Map<String, JsonNode> fields, String name, Instant value) {
        if (value != null) {
            fields.put(name, NODES.stringNode(value.toString()));
        }
    }
}
