package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import io.tradeanomaly.common.record.FeatureExplanation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One KDA forest ({@link KdaMethod}): score, explain an anomaly, then learn every record. Not thread-safe. */
final class KdaModel implements KeyModel {

    private final RandomCutForest forest;
    private final List<String> features;
    private final boolean directional;
    private long seen;

    KdaModel(RandomCutForest forest, ScoringSettings settings) {
        this(forest, settings, 0);
    }

    KdaModel(RandomCutForest forest, ScoringSettings settings, long seen) {
        this.forest = forest;
        this.features = settings.features();
        this.directional = settings.directionalExplanation();
        this.seen = seen;
    }

    /** KDA: every point is learnt; the forest itself withholds scores until it has seen outputAfter points. */
    @Override
    public Verdict score(double[] point, long epochMillis, double threshold) {
        seen++;
        if (!forest.isOutputReady()) {
            forest.update(point);
            return Verdict.warmUp();
        }
        double score = forest.getAnomalyScore(point);
        Verdict verdict = score > threshold
                ? anomaly(forest.getAnomalyAttribution(point), threshold)
                : new Verdict(score, false, false, threshold, null);
        forest.update(point);
        return verdict;
    }

    private Verdict anomaly(DiVector attribution, double cutoff) {
        // The attribution comes from the same traversal as the score; its sum is reported so the parts add up.
        return new Verdict(attribution.getHighLowSum(), true, false, cutoff, explain(attribution));
    }

    /**
     * KDA's explanation: RCF's directional attribution (DiVector) per raw feature, summed over the shingle's
     * positions: ATTRIBUTION_SCORE = high + low, STRENGTH = |high - low|, DIRECTION the larger side.
     */
    private Map<String, FeatureExplanation> explain(DiVector attribution) {
        int dimensions = features.size();
        Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
        for (int i = 0; i < dimensions; i++) {
            double high = 0;
            double low = 0;
            for (int j = i; j < attribution.getDimensions(); j += dimensions) {
                high += attribution.high[j];
                low += attribution.low[j];
            }
            explanation.put(
                    features.get(i),
                    directional
                            ? new FeatureExplanation(
                                    high >= low ? FeatureExplanation.Direction.HIGH : FeatureExplanation.Direction.LOW,
                                    Math.abs(high - low),
                                    high + low)
                            : FeatureExplanation.attributionOnly(high + low));
        }
        return explanation;
    }

    @Override
    public long seen() {
        return seen;
    }

    @Override
    public boolean worthKeeping() {
        return seen >= FeatureTransform.CALIBRATION; // as the calibrated models: a few records are not worth a write
    }

    RandomCutForest forest() {
        return forest;
    }
}
