package io.tradeanomaly.detector.settings;

import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.settings.SettingsDocument;
import io.tradeanomaly.common.settings.SharedSettings;
import io.tradeanomaly.common.web.InvalidSettingsException;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import jakarta.validation.Validator;
import java.time.Clock;

/**
 * The runtime threshold, read by every scoring batch; a change applies from the next batch. It is shared by all
 * replicas ({@link SharedSettings}: kept in S3, polled, changed with compare-and-set), so the threshold set through
 * any replica applies to every shard, and survives restarts.
 */
public class DetectorSettingsStore {

    private final ScoringSettings scoring;
    private final InputSchema schema;
    private final Validator validator;
    private final SharedSettings<RuntimeSettings> shared;

    public DetectorSettingsStore(
            ScoringSettings scoring, InputSchema schema, Validator validator, SharedSettings<RuntimeSettings> shared) {
        this.scoring = scoring;
        this.schema = schema;
        this.validator = validator;
        this.shared = shared;
    }

    /** Settings of this JVM only (not shared): for a test or a single replica. */
    public DetectorSettingsStore(ScoringSettings scoring, InputSchema schema, Validator validator) {
        this(scoring, schema, validator, inMemory(scoring));
    }

    /** The configured threshold as runtime settings, until the first change is stored. */
    public static RuntimeSettings configured(ScoringSettings scoring) {
        return new RuntimeSettings(scoring.threshold());
    }

    private static SharedSettings<RuntimeSettings> inMemory(ScoringSettings scoring) {
        return new SharedSettings<>(
                "anomaly-detector settings",
                SettingsDocument.inMemory(),
                RuntimeSettings.class,
                configured(scoring),
                Clock.systemUTC());
    }

    public double threshold() {
        return shared.get().threshold();
    }

    public DetectorSettings get() {
        return new DetectorSettings(
                threshold(),
                scoring.method(),
                scoring.keying(),
                scoring.sigmas(),
                new DetectorSettings.Input(
                        schema.keyName(),
                        schema.featureNames(),
                        schema.time() == null ? null : schema.time().name()));
    }

    /** Stores a new threshold for every replica; throws {@link InvalidSettingsException} and changes nothing. */
    public DetectorSettings update(ThresholdUpdate update) {
        InvalidSettingsException.requireValid(validator, update);
        shared.update(current -> new RuntimeSettings(update.threshold()));
        return get();
    }
}
