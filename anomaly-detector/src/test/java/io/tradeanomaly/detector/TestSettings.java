package io.tradeanomaly.detector;

import io.tradeanomaly.detector.scoring.Features;
import io.tradeanomaly.detector.scoring.ModelKeying;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.ThresholdMode;

/** The detector's default scoring settings (those of {@code DetectorProperties}), for tests and benchmarks. */
public final class TestSettings {

    private TestSettings() {}

    /** Per-ticker models, relative features, adaptive cut-off at 12 sigma, clean sample: the defaults. */
    public static ScoringSettings perTicker() {
        return perTicker(100, 256, 1.0);
    }

    /** The defaults with another forest size and bounding-box cache. */
    public static ScoringSettings perTicker(int trees, int sampleSize, double boundingBoxCache) {
        return new ScoringSettings(
                ModelKeying.PER_TICKER,
                Features.RELATIVE,
                trees,
                sampleSize,
                100_000,
                256,
                42,
                ThresholdMode.ADAPTIVE,
                1.0,
                12,
                1000,
                false,
                20,
                boundingBoxCache);
    }
}
