package io.tradeanomaly.archiver.partitioning;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
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
     * What the duplicate filter needs of a stored line.
     *
     * @param identity see {@link #identity}
     * @param origin the source shard, "" when the line names none
     * @param time the source record's arrival time, null when the line has none
     */
    public record Stored(String identity, String origin, Instant time) {}

    /**
     * The identity the anomaly of this line has ({@code AnomalyLine.identity()}: source shard, sequence number and, for
     * a user record of a KPL aggregate, sub-sequence number; else its id; else the hash of the line), or the line itself
     * when it cannot be read.
     */
    public static String identity(byte[] line) {
        return read(line).identity();
    }

    /** The identity, source shard and source arrival time of a stored line. */
    public static Stored read(byte[] line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (RuntimeException unreadable) {
            return new Stored(verbatim(line), "", null);
        }
        if (node == null || !node.isObject()) {
            return new Stored(verbatim(line), "", null);
        }
        String shard = text(node, "sourceShardId");
        String sequence = text(node, "sourceSequenceNumber");
        Instant time = instant(text(node, "arrivalTime"));
        if (shard != null && sequence != null) {
            JsonNode sub = node.get("sourceSubSequenceNumber");
            String identity = sub == null || sub.isNull()
                    ? shard + "/" + sequence
                    : shard + "/" + sequence + "/" + sub.asString();
            return new Stored(identity, shard, time);
        }
        JsonNode id = node.get("id");
        if (id != null && id.isValueNode() && !id.isNull()) {
            return new Stored("id:" + id.asString(), shard == null ? "" : shard, time);
        }
        return new Stored(sha256(line), "", time); // as AnomalyLine gives it for a canonical line without one
    }

    private static String sha256(byte[] line) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(line));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isString() && !value.stringValue().isBlank() ? value.stringValue() : null;
    }

    private static String verbatim(byte[] line) {
        return "line:" + new String(line, StandardCharsets.UTF_8);
    }
}
