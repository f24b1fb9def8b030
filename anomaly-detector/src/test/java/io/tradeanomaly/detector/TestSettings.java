package io.tradeanomaly.detector;

import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.system.DetectorProperties;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The detector's default scoring settings (bound from {@code DetectorProperties}), for tests and benchmarks. */
public final class TestSettings {

    private TestSettings() {}

    /** The defaults, exactly as the application binds them with no {@code detector.*} property set. */
    public static ScoringSettings perTicker() {
        return with(Map.of());
    }

    /** The defaults with another forest size and bounding-box cache. */
    public static ScoringSettings perTicker(int trees, int sampleSize, double boundingBoxCache) {
        return with(Map.of(
                "detector.number-of-trees", String.valueOf(trees),
                "detector.sample-size", String.valueOf(sampleSize),
                "detector.bounding-box-cache-fraction", String.valueOf(boundingBoxCache)));
    }

    /** The defaults with some {@code detector.*} properties set, as on the command line. */
    public static ScoringSettings with(Map<String, String> properties) {
        return properties(properties).scoring();
    }

    /** The detector's properties with some {@code detector.*} set, as on the command line. */
    public static DetectorProperties properties(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("detector", DetectorProperties.class);
    }
}
