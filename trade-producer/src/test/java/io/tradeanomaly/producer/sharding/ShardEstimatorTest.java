package io.tradeanomaly.producer.sharding;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ShardEstimatorTest {

    @Test
    void theLabsExampleNeedsOneShard() {
        ShardEstimate estimate = ShardEstimator.estimate(128, 100, 1);
        assertThat(estimate.shards()).isEqualTo(1);
        assertThat(estimate.incomingWriteKibPerSecond()).isEqualTo(100);
    }

    @Test
    void recordRateBindsForSmallRecords() {
        assertThat(ShardEstimator.estimate(128, 5000, 1).shards()).isEqualTo(5);
        assertThat(ShardEstimator.estimate(128, 5000, 1).shardsForRecordRate()).isEqualTo(5);
    }

    @Test
    void writeBandwidthBindsForLargeRecords() {
        ShardEstimate estimate = ShardEstimator.estimate(4000, 600, 1);
        assertThat(estimate.incomingWriteKibPerSecond()).isEqualTo(2400);
        assertThat(estimate.shards()).isEqualTo(3);
    }

    @Test
    void readBandwidthBindsWithManyConsumers() {
        ShardEstimate estimate = ShardEstimator.estimate(2048, 500, 5);
        assertThat(estimate.shardsForWriteBandwidth()).isEqualTo(1);
        assertThat(estimate.shardsForReadBandwidth()).isEqualTo(3);
        assertThat(estimate.shards()).isEqualTo(3);
    }
}
