package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.system.DetectorProperties;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class ScoringSettingsTest {

    private final Validator validator =
            Validation.buildDefaultValidatorFactory().getValidator();

    private DetectorProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("detector", DetectorProperties.class);
    }

    @Test
    void theDefaultsAreCalibratedPerTickerModelsWithTheAdaptiveCutOff() {
        ScoringSettings defaults = TestSettings.perTicker();
        assertThat(defaults.keying()).isEqualTo(ModelKeying.PER_TICKER);
        assertThat(defaults.features()).isEqualTo(Features.CALIBRATED);
        assertThat(defaults.thresholdMode()).isEqualTo(ThresholdMode.ADAPTIVE);
        assertThat(defaults.sigmas()).isEqualTo(4.75);
        assertThat(validator.validate(bind(Map.of()))).isEmpty();
    }

    @Test
    void kdasSetupStaysSelectable() {
        DetectorProperties kda = bind(Map.of(
                "detector.model", "global",
                "detector.features", "raw",
                "detector.threshold-mode", "fixed",
                "detector.learn-from-anomalies", "true"));
        assertThat(validator.validate(kda)).isEmpty();
        assertThat(kda.scoring()).isEqualTo(ScoringSettings.kda());
    }

    @Test
    void calibratedFeaturesNeedPerTickerModelsAndTheAdaptiveCutOffNeedsCalibratedFeatures() {
        // a global model would need every ticker's calibration: a map that grows with the tickers it has seen
        DetectorProperties global = bind(Map.of("detector.model", "global"));
        assertThat(validator.validate(global))
                .singleElement()
                .satisfies(v -> assertThat(v.getPropertyPath().toString()).isEqualTo("consistent"));
        assertThatThrownBy(global::scoring).hasMessageContaining("per-ticker models");

        DetectorProperties rawAdaptive = bind(Map.of("detector.features", "raw"));
        assertThat(validator.validate(rawAdaptive)).hasSize(1);
        assertThatThrownBy(rawAdaptive::scoring).hasMessageContaining("calibrated features");

        assertThat(validator.validate(bind(Map.of("detector.features", "raw", "detector.threshold-mode", "fixed"))))
                .as("per-ticker raw features with a fixed threshold")
                .isEmpty();
    }

    @Test
    void theSettingsOfTheLevelShiftRuleAndTheScoreStatisticsAreGone() {
        // the level follows a median of recent trades, so a lasting shift needs no rule (TradeScorerTest)
        assertThat(ScoringSettings.class.getRecordComponents())
                .extracting(c -> c.getName())
                .doesNotContain("adoptShiftAfter", "scoreWindow");
        assertThat(DetectorProperties.class.getRecordComponents())
                .extracting(c -> c.getName())
                .doesNotContain("adoptShiftAfter", "scoreWindow");
    }
}
