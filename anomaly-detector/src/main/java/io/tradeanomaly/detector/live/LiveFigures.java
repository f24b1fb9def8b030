package io.tradeanomaly.detector.live;

/**
 * The small live figures of the anomaly page.
 *
 * @param tradesScoredPerSecond trades scored per second over the last 10 seconds
 * @param anomaliesPerMinute anomalies published over the last minute
 * @param threshold the current threshold
 * @param method CALIBRATED (the threshold is a floor of each model's cut-off) or KDA (a fixed threshold)
 * @param lagMillis the highest consumer lag over this worker's shards
 * @param models models held by this worker
 * @param precision live precision from the simulator's labels, null when no labelled trade was judged yet
 * @param recall live recall from the simulator's labels, null when no labelled outlier was seen yet
 * @param pipeline the producer's and the archiver's figures, as they report them
 */
public record LiveFigures(
        double tradesScoredPerSecond,
        double anomaliesPerMinute,
        double threshold,
        String method,
        long lagMillis,
        long models,
        Double precision,
        Double recall,
        PipelineFigures pipeline) {}
