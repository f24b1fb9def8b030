package io.tradeanomaly.archiver.partitioning;

import java.time.Instant;
import java.util.List;

/**
 * A finished object, ready to be written.
 *
 * @param key its S3 key
 * @param lines its anomalies, one canonical JSON line each (without the newline)
 * @param oldest arrival time of its oldest record
 * @param checkpoint the position up to which the shard may be checkpointed once this object is written
 */
public record ArchiveObject(String key, List<byte[]> lines, Instant oldest, RecordPosition checkpoint) {

    /** How many anomalies it holds. */
    public int records() {
        return lines.size();
    }

    /** Its size uncompressed, newlines included. */
    public long bytes() {
        long bytes = 0;
        for (byte[] line : lines) {
            bytes += line.length + 1;
        }
        return bytes;
    }
}
