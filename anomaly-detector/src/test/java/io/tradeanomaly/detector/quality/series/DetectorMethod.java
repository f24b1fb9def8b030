package io.tradeanomaly.detector.quality.series;

import io.tradeanomaly.common.record.FeatureExplanation;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.scoring.KeyModel;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.Verdict;
import java.util.HashMap;
import java.util.Map;

/**
 * One of the detector's own methods ({@code detector.method}) on one key, as the live detector and {@code backtest} run
 * it: its {@link KeyModel} built from the detector's settings (its defaults, the series' features, any {@code
 * detector.*} overrides), each record scored at the settings' threshold.
 */
final class DetectorMethod implements SeriesMethod {

    private final KeyModel model;
    private final double threshold;
    private final String[] features;

    DetectorMethod(ScoringSettings settings, long seed) {
        this.model = settings.detectionMethod().newModel(seed);
        this.threshold = settings.threshold();
        this.features = settings.features().toArray(String[]::new);
    }

    /**
     * The detector's settings for a series: its defaults with this method ({@code default}: the detector's default for
     * the series' features) and these overrides.
     */
    static ScoringSettings settings(String method, LabelledSeries series, Map<String, String> overrides) {
        Map<String, String> properties = new HashMap<>();
        if (!method.equals("default")) {
            properties.put("detector.method", method);
        }
        properties.put("detector.input.features", String.join(",", series.featureNames()));
        overrides.forEach((k, v) -> properties.put("detector." + k, v));
        return TestSettings.with(properties);
    }

    @Override
    public Scored score(double[] values, long epochMillis) {
        Verdict verdict = model.score(values, epochMillis, threshold);
        FeatureExplanation[] explanation = null;
        if (verdict.explanation() != null) {
            explanation = new FeatureExplanation[features.length];
            for (int i = 0; i < features.length; i++) {
                explanation[i] = verdict.explanation().get(features[i]);
            }
        }
        return new Scored(verdict.score(), verdict.anomaly(), explanation);
    }
}
