package io.tradeanomaly.archiver.partitioning;

import java.time.Instant;

/**
 * A finished object, ready to be written.
 *
 * @param key its S3 key
 * @param body newline-delimited JSON, one anomaly per line (GZIP-compressed when the key ends in .gz)
 * @param records how many anomalies it holds
 * @param oldest arrival time of its oldest record
 * @param checkpoint the position up to which the shard may be checkpointed once this object is written
 */
public record ArchiveObject(String key, byte[] body, int records, Instant oldest, RecordPosition checkpoint) {}
