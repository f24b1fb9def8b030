package io.tradeanomaly.detector.scoring;

/** How a score becomes a verdict. */
public enum ThresholdMode {
    /** Anomalous when the score is above the fixed {@code threshold} (KDA: {@code ANOMALY_SCORE > 1}). */
    FIXED,
    /**
     * Anomalous when the score is above the model's own cut-off, the score its forest gives a trade {@code sigmas}
     * calibrated deviations out in one feature, and above {@code threshold} used as a floor. Needs {@link
     * Features#CALIBRATED}.
     */
    ADAPTIVE
}
