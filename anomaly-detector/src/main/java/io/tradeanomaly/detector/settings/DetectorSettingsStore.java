package io.tradeanomaly.detector.settings;

import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.web.InvalidSettingsException;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import jakarta.validation.Validator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime threshold, read by every scoring batch; a change applies from the next batch. */
public class DetectorSettingsStore {

    private static final Logger log = LoggerFactory.getLogger(DetectorSettingsStore.class);

    private final ScoringSettings scoring;
    private final InputSchema schema;
    private final Validator validator;
    private volatile double threshold;

    public DetectorSettingsStore(ScoringSettings scoring, InputSchema schema, Validator validator) {
        this.scoring = scoring;
        this.schema = schema;
        this.validator = validator;
        this.threshold = scoring.threshold();
    }

    public double threshold() {
        return threshold;
    }

    public DetectorSettings get() {
        return new DetectorSettings(
                threshold,
                scoring.method(),
                scoring.keying(),
                scoring.sigmas(),
                new DetectorSettings.Input(
                        schema.keyName(),
                        schema.featureNames(),
                        schema.time() == null ? null : schema.time().name()));
    }

    public DetectorSettings update(ThresholdUpdate update) {
        InvalidSettingsException.requireValid(validator, update);
        threshold = update.threshold();
        log.info("Threshold changed to {}", threshold);
        return get();
    }
}
