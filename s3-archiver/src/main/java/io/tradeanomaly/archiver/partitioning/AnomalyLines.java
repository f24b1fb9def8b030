package io.tradeanomaly.archiver.partitioning;

import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the identity of a line already stored in the archive, for the merge of an object and for seeding the
 * duplicate filter. Stored lines are the archiver's own: they were validated as input when they arrived, and their
 * canonical form may no longer pass that validation (a number such as {@code 1e6} is written {@code 1000000.0}, which
 * can push a line past the size bound). So a stored line is read only for what the merge needs, and one that cannot be
 * read at all is its own identity: it is kept byte for byte, never a reason to fail a batch.
 */
public final class AnomalyLines {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private AnomalyLines() {}

    /**
     * The identity the anomaly of this line has ({@code Anomaly.identity()}: source shard, sequence number and, for a
     * user record of a KPL aggregate, sub-sequence number; else the trade id), or the line itself when it holds none.
     */
    public static String identity(byte[] line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (RuntimeException unreadable) {
            return verbatim(line);
        }
        if (node == null || !node.isObject()) {
            return verbatim(line);
        }
        String shard = text(node, "sourceShardId");
        String sequence = text(node, "sourceSequenceNumber");
        if (shard != null && sequence != null) {
            JsonNode sub = node.get("sourceSubSequenceNumber");
            return sub == null || sub.isNull() ? shard + "/" + sequence : shard + "/" + sequence + "/" + sub.asString();
        }
        JsonNode id = node.get("id");
        if (id != null && id.isIntegralNumber() && id.canConvertToLong()) {
            return "id:" + id.longValue();
        }
        return verbatim(line);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.stringValue().isBlank() ? value.stringValue() : null;
    }

    private static String verbatim(byte[] line) {
        return "line:" + new String(line, StandardCharsets.UTF_8);
    }
}
