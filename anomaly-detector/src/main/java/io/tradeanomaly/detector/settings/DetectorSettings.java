package io.tradeanomaly.detector.settings;

import io.tradeanomaly.detector.scoring.Method;
import io.tradeanomaly.detector.scoring.ModelKeying;
import java.util.List;

/**
 * The detector's settings as REST shows them; only {@code threshold} can be changed at runtime.
 *
 * @param threshold KDA: the fixed threshold; CALIBRATED: the floor of each model's cut-off
 * @param method CALIBRATED or KDA (configuration)
 * @param model GLOBAL or PER_KEY (configuration)
 * @param sigmas the calibrated cut-off in calibrated deviations (configuration)
 * @param input what the input records are (configuration)
 */
public record DetectorSettings(double threshold, Method method, ModelKeying model, double sigmas, Input input) {

    /**
     * The input schema.
     *
     * @param key the key field, null for one model
     * @param features the feature names, in order
     * @param time the event-time field, null for the arrival time
     */
    public record Input(String key, List<String> features, String time) {}
}
