package io.tradeanomaly.common.deadletter;

import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.s3.NdjsonStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dead letters as newline-delimited JSON in S3, like Firehose's error output: one object per shard and ten seconds of
 * arrival time ({@link #SPAN}), {@code <prefix>YYYY/MM/DD/HH/<shard>-YYYY-MM-DD-HH-MM-SS.json} (UTC, the span's start).
 * A batch's letters are merged into their spans' objects by sequence number ({@link NdjsonStore}), so the object a
 * letter lands in depends only on the letter: a replay with other batch edges, or a stale owner, writes nothing twice
 * and loses nothing. A span bounds what one write rewrites: a shard takes at most 1,000 records a second, so an object
 * holds at most 10,000 letters however long a burst of bad records lasts (one object per minute grew with the burst,
 * and every batch rewrote it whole). A record Kinesis gave no arrival time goes under 1970/01/01/00.
 */
public final class DeadLetters {

    /** The arrival time one object covers; it divides a minute, so that objects keep to the minute's folder. */
    public static final Duration SPAN = Duration.ofSeconds(10);

    private static final DateTimeFormatter FOLDER =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter START =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final NdjsonStore objects;
    private final String prefix;

    public DeadLetters(NdjsonStore objects, String prefix) {
        this.objects = objects;
        this.prefix = prefix;
    }

    /** The object a shard's dead letters of one arrival span go to. */
    public String keyOf(String shardId, Instant arrival) {
        long seconds = Objects.requireNonNullElse(arrival, Instant.EPOCH).getEpochSecond();
        Instant start = Instant.ofEpochSecond(Math.floorDiv(seconds, SPAN.toSeconds()) * SPAN.toSeconds());
        return prefix + FOLDER.format(start) + shardId + "-" + START.format(start) + ".json";
    }

    /**
     * Writes one batch's dead letters durably; returns only when they are stored.
     *
     * @throws RuntimeException when S3 fails (the caller retries)
     */
    public void write(String shardId, List<DeadLetter> letters) {
        Map<String, List<byte[]>> byObject = new LinkedHashMap<>();
        for (DeadLetter letter : letters) {
            byObject.computeIfAbsent(keyOf(shardId, letter.approximateArrivalTimestamp()), k -> new ArrayList<>())
                    .add(JsonRecords.encode(letter));
        }
        byObject.forEach((key, lines) -> objects.write(key, lines, false, DeadLetters::identity));
    }

    /**
     * A stored dead letter's identity within its object ({@link DeadLetter#identity()}): the record's sequence number
     * and, for a user record of a KPL aggregate, its sub-sequence number. A line that cannot be read is its own
     * identity, so that it is kept byte for byte.
     */
    static String identity(byte[] line) {
        JsonNode node;
        try {
            node = JsonRecords.mapper().readTree(line);
        } catch (RuntimeException unreadable) {
            return JsonRecords.text(line);
        }
        JsonNode sequence = node == null ? null : node.get("sequenceNumber");
        if (sequence == null || !sequence.isString()) {
            return JsonRecords.text(line);
        }
        JsonNode sub = node.get("subSequenceNumber");
        return sub == null || sub.isNull() ? sequence.asString() : sequence.asString() + "/" + sub.asString();
    }
}
