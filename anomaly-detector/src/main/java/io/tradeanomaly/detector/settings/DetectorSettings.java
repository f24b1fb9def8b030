package io.tradeanomaly.detector.settings;

import io.tradeanomaly.detector.scoring.Features;
import io.tradeanomaly.detector.scoring.ModelKeying;
import io.tradeanomaly.detector.scoring.ThresholdMode;

/**
 * The detector's settings as REST shows them; only {@code threshold} can be changed at runtime.
 *
 * @param threshold the fixed threshold, or the floor of the adaptive cut-off
 * @param thresholdMode FIXED or ADAPTIVE (configuration)
 * @param model GLOBAL or PER_TICKER (configuration)
 * @param features RAW or CALIBRATED (configuration)
 * @param sigmas adaptive cut-off in calibrated deviations (configuration)
 */
public record DetectorSettings(
        double threshold, ThresholdMode thresholdMode, ModelKeying model, Features features, double sigmas) {}
