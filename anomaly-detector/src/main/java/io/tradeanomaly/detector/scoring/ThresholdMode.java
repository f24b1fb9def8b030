package io.tradeanomaly.detector.scoring;

/** How a score becomes a verdict. */
public enum ThresholdMode {
    /** Anomalous when the score is above the fixed {@code threshold} (KDA: {@code ANOMALY_SCORE > 1}). */
    FIXED,
    /**
     * Anomalous when the score is above the model's own cut-off, learnt from the recent scores of its normal trades
     * (mean + {@code sigmas} standard deviations), and above {@code threshold} used as a floor.
     */
    ADAPTIVE
}
