package io.tradeanomaly.common.record;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A field of a JSON record named as users name it in the settings: a top-level name ({@code price}, {@code Inlet
 * Pressure kPa}) or a dotted path into nested objects ({@code device.id}). A name is looked up whole first, so a
 * top-level field whose name contains dots ({@code "cpu.util"}) is found as it is; only when there is none is the
 * name split at its dots and followed object by object.
 *
 * @param name the name as given (the key of the feature in {@code ANOMALY_EXPLANATION})
 * @param segments the name split at its dots
 */
public record FieldPath(String name, List<String> segments) {

    /** Parses a setting's field name; surrounding blanks are trimmed, an empty name or segment is refused. */
    public static FieldPath of(String name) {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("a field name is empty");
        }
        List<String> segments = List.of(trimmed.split("\\.", -1));
        if (segments.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("field '" + trimmed + "' has an empty part between dots");
        }
        return new FieldPath(trimmed, segments);
    }

    /** The field's value in {@code record}, or null when the record has no such field. */
    public JsonNode find(JsonNode record) {
        JsonNode whole = record.get(name);
        if (whole != null || segments.size() == 1) {
            return whole;
        }
        JsonNode node = record;
        for (String segment : segments) {
            if (node == null || !node.isObject()) {
                return null;
            }
            node = node.get(segment);
        }
        return node;
    }

    @Override
    public String toString() {
        return name;
    }
}
