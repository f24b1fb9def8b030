package io.tradeanomaly.producer.sharding;

/**
 * The shards a stream needs, and why.
 *
 * @param recordSizeBytes average record size asked about
 * @param recordsPerSecond records written per second
 * @param consumers consumers reading every record (polling, sharing a shard's 2 MiB/s)
 * @param incomingWriteKibPerSecond write bandwidth in KiB/s (record size rounded up to whole KiB)
 * @param outgoingReadKibPerSecond read bandwidth in KiB/s over all consumers
 * @param shardsForWriteBandwidth shards needed for the write bandwidth (1 MiB/s each)
 * @param shardsForReadBandwidth shards needed for the read bandwidth (2 MiB/s each)
 * @param shardsForRecordRate shards needed for the record rate (1,000 records/s each)
 * @param shards the estimate: the largest of the three, at least 1
 */
public record ShardEstimate(
        int recordSizeBytes,
        double recordsPerSecond,
        int consumers,
        double incomingWriteKibPerSecond,
        double outgoingReadKibPerSecond,
        int shardsForWriteBandwidth,
        int shardsForReadBandwidth,
        int shardsForRecordRate,
        int shards) {}
