package io.tradeanomaly.detector.live;

import java.util.List;

/**
 * The live page's charts, one value per sample (columns, as the chart library takes them); a value is null where it
 * is not known, for example while a service did not answer.
 *
 * @param intervalSeconds seconds between samples
 * @param windowSeconds how far back the series go
 * @param times sample times, epoch seconds
 * @param producedPerSecond trades the producer put per second (its {@code trades_produced_total}), over 10 s
 * @param scoredPerSecond trades this detector scored per second, over 10 s
 * @param publishedInWindow anomalies this detector published since the window's first sample (a restarted
 *     counter adds from its new start)
 * @param archivedInWindow anomalies the archiver wrote to S3 since then (its {@code anomalies_archived_total}); it
 *     writes a minute's anomalies once the minute is over, so this follows the published line as a staircase
 * @param detectorLagSeconds how far this detector is behind the trades stream (highest over its shards)
 * @param archiverLagSeconds how far the archiver is behind the anomalies stream (its {@code kcl_millis_behind_latest})
 * @param threshold the threshold (fixed, or floor of the adaptive cut-off)
 * @param meanScore mean score of the ordinary (not anomalous) trades scored in the interval
 * @param highestOrdinaryScore highest score of an ordinary trade in the interval
 * @param anomalies every anomaly published in the window, as points
 */
public record HealthSeries(
        int intervalSeconds,
        int windowSeconds,
        List<Long> times,
        List<Double> producedPerSecond,
        List<Double> scoredPerSecond,
        List<Double> publishedInWindow,
        List<Double> archivedInWindow,
        List<Double> detectorLagSeconds,
        List<Double> archiverLagSeconds,
        List<Double> threshold,
        List<Double> meanScore,
        List<Double> highestOrdinaryScore,
        Points anomalies) {

    /**
     * Anomalies as chart points, in columns.
     *
     * @param times detection times, epoch milliseconds
     * @param scores their scores
     * @param keys their keys (the value of the key field)
     * @param ids their identities (source shard, sequence and sub-sequence number)
     */
    public record Points(List<Long> times, List<Double> scores, List<String> keys, List<String> ids) {}
}
