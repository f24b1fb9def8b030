package io.tradeanomaly.detector.quality.series;

import com.amazon.randomcutforest.config.ForestMode;
import com.amazon.randomcutforest.config.TransformMethod;
import com.amazon.randomcutforest.parkservices.AnomalyDescriptor;
import com.amazon.randomcutforest.parkservices.ThresholdedRandomCutForest;
import java.util.Map;

/**
 * The library's ThresholdedRandomCutForest on one key, with its internal shingling, a transform and its own
 * thresholder, for the experiments: settings {@code shingle}, {@code transform}, {@code trees}, {@code sample},
 * {@code decay} (time decay as a window), {@code score} ({@code rcf}: the forest's score, {@code grade}: the
 * thresholder's grade), {@code likelihood} (a short,long window pair for {@link AnomalyLikelihood}), {@code z}
 * (likelihood verdict threshold in decades).
 */
final class TrcfMethod implements SeriesMethod {

    private final ThresholdedRandomCutForest forest;
    private final String scoreKind;
    private final AnomalyLikelihood likelihood;
    private final double verdictAt;

    TrcfMethod(int dimensions, long seed, Map<String, String> s) {
        int shingle = Integer.parseInt(s.getOrDefault("shingle", "8"));
        int sample = Integer.parseInt(s.getOrDefault("sample", "256"));
        var builder = ThresholdedRandomCutForest.builder()
                .dimensions(dimensions * shingle)
                .shingleSize(shingle)
                .internalShinglingEnabled(true)
                .numberOfTrees(Integer.parseInt(s.getOrDefault("trees", "50")))
                .sampleSize(sample)
                .randomSeed(seed)
                .parallelExecutionEnabled(false)
                .boundingBoxCacheFraction(1.0)
                .forestMode(ForestMode.STANDARD)
                .transformMethod(TransformMethod.valueOf(s.getOrDefault("transform", "NORMALIZE")));
        if (s.containsKey("decay")) {
            builder.timeDecay(1.0 / Double.parseDouble(s.get("decay")));
        }
        if (s.containsKey("transformDecay")) {
            builder.transformDecay(1.0 / Double.parseDouble(s.get("transformDecay")));
        }
        if (s.containsKey("autoAdjust")) {
            builder.autoAdjust(true);
        }
        this.forest = builder.build();
        this.scoreKind = s.getOrDefault("score", "rcf");
        String[] l = s.getOrDefault("likelihood", "").split("/");
        this.likelihood = l[0].isEmpty()
                ? null
                : new AnomalyLikelihood(Integer.parseInt(l[0]), Integer.parseInt(l[1]), Integer.parseInt(l[1]) / 4);
        this.verdictAt = Double.parseDouble(s.getOrDefault("z", "5"));
    }

    @Override
    public Scored score(double[] features, long epochMillis) {
        AnomalyDescriptor d = forest.process(features, epochMillis);
        double raw = d.getRCFScore();
        if (likelihood != null) {
            double surprise = likelihood.surprise(raw);
            return new Scored(surprise, surprise >= verdictAt, null);
        }
        double score = scoreKind.equals("grade") ? d.getAnomalyGrade() : raw;
        return new Scored(score, d.getAnomalyGrade() > 0, null);
    }
}
