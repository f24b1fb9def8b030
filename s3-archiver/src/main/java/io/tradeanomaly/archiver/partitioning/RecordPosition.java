package io.tradeanomaly.archiver.partitioning;

/**
 * Where a record sits in its shard, as KCL checkpoints it.
 *
 * @param sequenceNumber the record's sequence number
 * @param subSequenceNumber its sub-sequence number (0 unless the producer aggregated records)
 */
public record RecordPosition(String sequenceNumber, long subSequenceNumber) {}
