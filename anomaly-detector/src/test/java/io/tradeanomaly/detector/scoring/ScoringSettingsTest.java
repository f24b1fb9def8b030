package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.system.DetectorProperties;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ScoringSettingsTest {

    private final Validator validator =
            Validation.buildDefaultValidatorFactory().getValidator();

    private static DetectorProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("detector", DetectorProperties.class);
    }

    @Test
    void theDefaultsAreTheCalibratedMethodPerKeyOverTheTrades() {
        ScoringSettings defaults = TestSettings.perTicker();
        assertThat(defaults.method()).isEqualTo(Method.CALIBRATED);
        assertThat(defaults.keying()).isEqualTo(ModelKeying.PER_KEY);
        assertThat(defaults.features()).containsExactly("price", "quantity");
        assertThat(defaults.sigmas()).isEqualTo(4.75);
        DetectorProperties properties = bind(Map.of());
        assertThat(validator.validate(properties)).isEmpty();
        assertThat(properties.schema().keyName()).isEqualTo("tickerSymbol");
        assertThat(properties.schema().time()).isNull();
    }

    @Test
    void oneSettingSelectsKdasExactSetup() {
        DetectorProperties kda = bind(Map.of("detector.method", "kda"));
        assertThat(validator.validate(kda)).isEmpty();
        assertThat(kda.scoring()).isEqualTo(ScoringSettings.kda());
    }

    @Test
    void kdasSetupTakesAnyFeaturesItsParametersAndAForestPerKey() {
        DetectorProperties kda = bind(Map.of(
                "detector.method", "kda",
                "detector.model", "per-key",
                "detector.input.key", "device.id",
                "detector.input.features", "temperature, Inlet Pressure kPa",
                "detector.shingle-size", "4",
                "detector.directional-explanation", "false"));
        ScoringSettings scoring = kda.scoring();
        assertThat(scoring.keying()).isEqualTo(ModelKeying.PER_KEY);
        assertThat(scoring.features()).containsExactly("temperature", "Inlet Pressure kPa");
        assertThat(scoring.shingleSize()).isEqualTo(4);
        assertThat(scoring.directionalExplanation()).isFalse();
    }

    @Test
    void aStreamWithoutAKeyFieldHasOneModelPerShard() {
        assertThat(bind(Map.of("detector.input.key", "")).scoring().keying()).isEqualTo(ModelKeying.GLOBAL);
    }

    @Test
    void shinglesAreKdasParameterAndTheCalibratedMethodRefusesThem() {
        assertThatThrownBy(() -> bind(Map.of("detector.shingle-size", "8")).scoring())
                .hasMessageContaining("detector.shingle-size");
    }

    @Test
    void wrongFeatureListsAreRefusedSayingWhy() {
        assertThatThrownBy(() -> bind(Map.of("detector.input.features", "")).scoring())
                .hasMessageContaining("1 to 32");
        assertThatThrownBy(
                        () -> bind(Map.of("detector.input.features", "a,b,a")).scoring())
                .hasMessageContaining("'a' twice");
        assertThatThrownBy(() -> bind(Map.of("detector.input.features", "a,,b")).scoring())
                .hasMessageContaining("empty");
        String tooMany = String.join(
                ",",
                java.util.stream.IntStream.rangeClosed(1, 33)
                        .mapToObj(i -> "f" + i)
                        .toList());
        assertThatThrownBy(
                        () -> bind(Map.of("detector.input.features", tooMany)).scoring())
                .hasMessageContaining("not 33");
    }

    @Test
    void anUnknownOrMisspelledDetectorSettingStopsTheStartNamingIt() {
        ApplicationContextRunner context = new ApplicationContextRunner().withUserConfiguration(Settings.class);
        for (String setting :
                List.of("detector.adopt-shift-after=5", "detector.input.feature=price", "detector.treshold=2")) {
            context.withPropertyValues(setting)
                    .run(started -> assertThat(started)
                            .hasFailed()
                            .getFailure()
                            .rootCause()
                            .hasMessageContaining(setting.substring(0, setting.indexOf('='))));
        }
        context.withPropertyValues("detector.input.features=a,b")
                .run(started -> assertThat(started).hasNotFailed());
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DetectorProperties.class)
    static class Settings {}
}
