package io.tradeanomaly.detector.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.detector.TestTrades;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentAnomaliesTest {

    private static final Instant SECOND = Instant.parse("2026-11-26T08:00:10Z");

    @Test
    void listsInKdasOrderNewestSecondFirstHighestScoreFirstWhateverBatchTheyCameIn() {
        RecentAnomalies recent = new RecentAnomalies(10);
        recent.addAll(List.of(anomaly(1, 5.0, SECOND.plusMillis(100)), anomaly(2, 3.0, SECOND.plusMillis(900))));
        // a second spans several KCL batches (and shards): this batch adds to the same second, and the next one
        recent.addAll(List.of(anomaly(3, 9.0, SECOND.plusMillis(950)), anomaly(4, 1.0, SECOND.plusSeconds(1))));

        assertThat(recent.newest(10)).extracting(TestTrades::id).containsExactly(4L, 3L, 1L, 2L);
        assertThat(recent.newest(2)).extracting(TestTrades::id).containsExactly(4L, 3L);
    }

    @Test
    void keepsTheNewestWithinItsCapacity() {
        RecentAnomalies recent = new RecentAnomalies(2);
        recent.addAll(List.of(anomaly(1, 1, SECOND), anomaly(2, 1, SECOND.plusSeconds(1))));
        recent.addAll(List.of(anomaly(3, 1, SECOND.plusSeconds(2))));

        assertThat(recent.newest(5)).extracting(TestTrades::id).containsExactly(3L, 2L);
    }

    @Test
    void filtersByTickerInTheSameOrderAndCountsEveryTickerBeyondTheRing() {
        RecentAnomalies recent = new RecentAnomalies(3);
        recent.addAll(List.of(
                anomaly("AMZN", 1, 2.0, SECOND),
                anomaly("GE", 2, 4.0, SECOND),
                anomaly("AMZN", 3, 6.0, SECOND.plusMillis(400)),
                anomaly("AMZN", 4, 1.0, SECOND.plusSeconds(1))));

        assertThat(recent.newest(10, "AMZN")).extracting(TestTrades::id).containsExactly(4L, 3L);
        assertThat(recent.newest(1, "AMZN")).extracting(TestTrades::id).containsExactly(4L);
        assertThat(recent.newest(10, "NONE")).isEmpty();
        // the tally counts since start, not only what the ring of 3 still holds
        assertThat(recent.perKey())
                .extracting(KeyTally.Line::key, KeyTally.Line::count, l -> TestTrades.id(l.latest()))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("AMZN", 3L, 4L),
                        org.assertj.core.groups.Tuple.tuple("GE", 1L, 2L));
    }

    @Test
    void theLatestOfATickerIsTheNewestArrivalWhateverOrderBatchesCameIn() {
        KeyTally tally = new KeyTally();
        tally.addAll(List.of(anomaly("GE", 7, 1.0, SECOND.plusSeconds(5))));
        tally.addAll(List.of(anomaly("GE", 8, 9.0, SECOND))); // another shard, later batch, older trade

        assertThat(tally.lines()).singleElement().satisfies(line -> {
            assertThat(line.count()).isEqualTo(2);
            assertThat(TestTrades.id(line.latest())).isEqualTo(7);
        });
    }

    private static Anomaly anomaly(long id, double score, Instant arrival) {
        return anomaly("AMZN", id, score, arrival);
    }

    private static Anomaly anomaly(String ticker, long id, double score, Instant arrival) {
        return TestTrades.anomaly(ticker, id, score, arrival);
    }
}
