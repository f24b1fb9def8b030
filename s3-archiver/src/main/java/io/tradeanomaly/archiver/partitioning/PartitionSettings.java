package io.tradeanomaly.archiver.partitioning;

import java.time.Duration;

/**
 * When an object is rolled.
 *
 * @param maxObjectBytes roll before an object would exceed this many (uncompressed) bytes
 * @param maxObjectRecords roll when an object holds this many records
 * @param grace how long after its minute ends an object still waits for that minute's last records
 */
public record PartitionSettings(long maxObjectBytes, int maxObjectRecords, Duration grace) {}
