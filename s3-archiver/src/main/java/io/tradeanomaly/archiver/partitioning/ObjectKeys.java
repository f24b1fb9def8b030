package io.tradeanomaly.archiver.partitioning;

import io.tradeanomaly.common.s3.LineFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Firehose's S3 key layout (docs/contracts.md): {@code <prefix>YYYY/MM/DD/HH/<name>-<version>-YYYY-MM-DD-HH-MM-SS-<suffix>.json}
 * ({@code .json.gz}, {@code .parquet}: the object format's extension), UTC, the time of the object's oldest record. Firehose's suffix is random; ours is the source shard and the first
 * record's sequence number, so that the same records always make the same key.
 */
public final class ObjectKeys {

    private static final DateTimeFormatter FOLDER =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HH/").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss").withZone(ZoneOffset.UTC);

    private static final DateTimeFormatter STAMP_PARSER = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH-mm-ss");

    private final String prefix;
    private final String name;
    private final String version;
    private final LineFormat format;

    public ObjectKeys(String prefix, String name, String version, boolean gzip) {
        this(prefix, name, version, LineFormat.ndjson(gzip));
    }

    public ObjectKeys(String prefix, String name, String version, LineFormat format) {
        this.prefix = prefix == null ? "" : prefix;
        this.name = name;
        this.version = version;
        this.format = format;
    }

    /** The key of an archive object. */
    public String objectKey(Instant oldest, String shardId, String firstSequenceNumber) {
        return key(prefix, oldest, shardId, firstSequenceNumber) + format.extension();
    }

    /**
     * The key of an archive object whose first record is at {@code first}: a user record of a KPL aggregate after the
     * first one adds its sub-sequence number, so that two objects starting inside one aggregate (a record bound hit
     * there) have distinct keys.
     */
    public String objectKey(Instant oldest, String shardId, RecordPosition first) {
        return objectKey(
                oldest,
                shardId,
                first.subSequenceNumber() > 0
                        ? first.sequenceNumber() + "-" + first.subSequenceNumber()
                        : first.sequenceNumber());
    }

    private String key(String keyPrefix, Instant oldest, String shardId, String firstSequenceNumber) {
        return keyPrefix + FOLDER.format(oldest) + name + "-" + version + "-" + STAMP.format(oldest) + "-" + shardId
                + "-" + firstSequenceNumber;
    }

    /** The hour folders ({@code <prefix>YYYY/MM/DD/HH/}) that objects with times in [from, to] are under. */
    public List<String> hourPrefixes(Instant from, Instant to) {
        List<String> prefixes = new ArrayList<>();
        for (Instant hour = from.truncatedTo(ChronoUnit.HOURS);
                !hour.isAfter(to);
                hour = hour.plus(Duration.ofHours(1))) {
            prefixes.add(prefix + FOLDER.format(hour));
        }
        return prefixes;
    }

    /** The time of an archive object of the given shard from its key, or null when the key is not one. */
    public Instant timeOf(String key, String shardId) {
        String marker = "-" + shardId + "-";
        int shardAt = key.lastIndexOf(marker);
        String head = name + "-" + version + "-";
        int nameAt = key.lastIndexOf(head, shardAt);
        if (shardAt < 0 || nameAt < 0) {
            return null;
        }
        try {
            return LocalDateTime.parse(key.substring(nameAt + head.length(), shardAt), STAMP_PARSER)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** The first sequence number of an archive object of the given shard from its key, or null. */
    public String firstSequenceOf(String key, String shardId) {
        String marker = "-" + shardId + "-";
        int at = key.lastIndexOf(marker);
        if (at < 0) {
            return null;
        }
        String rest = key.substring(at + marker.length());
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
            end++; // the sequence number, without a sub-sequence number and the extension
        }
        return rest.substring(0, end);
    }

    /** The format objects are written in. */
    public LineFormat format() {
        return format;
    }

    /**
     * The format to read an archive object in, by its key's extension: objects written before the format was changed
     * are read too (a GZIP-compressed one is decoded by the store). Null when neither the configured format nor JSON.
     */
    public LineFormat formatOf(String key) {
        if (key.endsWith(format.extension())) {
            return format;
        }
        return key.endsWith(".json") || key.endsWith(".json.gz") ? LineFormat.NDJSON : null;
    }
}
