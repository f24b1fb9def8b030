package io.tradeanomaly.producer.sharding;

/**
 * The Kinesis console's shard estimator: from the average record size, the records written per second and the number
 * of consumers, the shards a provisioned stream needs. A shard takes 1 MiB/s or 1,000 records/s of writes and serves
 * 2 MiB/s of reads shared by its (non fan-out) consumers; record sizes are rounded up to whole KiB.
 */
public final class ShardEstimator {

    private static final double WRITE_KIB_PER_SHARD = 1024;
    private static final double READ_KIB_PER_SHARD = 2048;
    private static final double RECORDS_PER_SHARD = 1000;

    private ShardEstimator() {}

    public static ShardEstimate estimate(int recordSizeBytes, double recordsPerSecond, int consumers) {
        double recordKib = Math.ceil(recordSizeBytes / 1024.0);
        double writeKib = recordKib * recordsPerSecond;
        double readKib = writeKib * consumers;
        int byWrite = (int) Math.ceil(writeKib / WRITE_KIB_PER_SHARD);
        int byRead = (int) Math.ceil(readKib / READ_KIB_PER_SHARD);
        int byRecords = (int) Math.ceil(recordsPerSecond / RECORDS_PER_SHARD);
        int shards = Math.max(1, Math.max(byWrite, Math.max(byRead, byRecords)));
        return new ShardEstimate(
                recordSizeBytes, recordsPerSecond, consumers, writeKib, readKib, byWrite, byRead, byRecords, shards);
    }
}
