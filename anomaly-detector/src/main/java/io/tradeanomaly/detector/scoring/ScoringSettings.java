package io.tradeanomaly.detector.scoring;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/**
 * How records are scored. The forest parameters default to those of KDA's {@code RANDOM_CUT_FOREST}.
 *
 * @param method the detection method: CALIBRATED (the default), SURPRISE or KDA (exactly Kinesis Data Analytics)
 * @param keying one forest per shard (GLOBAL) or per value of the key field (PER_KEY)
 * @param features the names of the features, in order (they key the explanation)
 * @param numberOfTrees trees per forest (KDA: 100)
 * @param sampleSize points each tree keeps (KDA's subSampleSize: 256)
 * @param timeDecayWindow KDA's {@code timeDecay}: roughly how many recent points the sample represents; the
 *     library's decay rate is its inverse (KDA: 100000, i.e. a rate of 1e-5)
 * @param shingleSize KDA: how many consecutive records of a model form one point of its forest (KDA: 1)
 * @param outputAfter records a model must have seen before it gives a verdict; until then records score 0 (KDA: the
 *     sample size)
 * @param seed seed of the forests' randomness; each model derives its own from it and its key, so runs are repeatable
 * @param threshold KDA: the fixed threshold; CALIBRATED: the floor of each model's cut-off; SURPRISE: decades of
 *     surprise (changeable at runtime)
 * @param sigmas CALIBRATED: how many calibrated deviations out in one feature a record scores the cut-off (4.75 is a
 *     one-in-a-million record under the key's learnt distribution)
 * @param directionalExplanation KDA's {@code withDirectionality}: whether the explanation gives each feature's
 *     DIRECTION and STRENGTH besides its ATTRIBUTION_SCORE
 * @param boundingBoxCacheFraction share of tree nodes whose bounding boxes RCF caches: 1 is fastest, 0 halves a
 *     model's memory at about three times the CPU per score
 */
public record ScoringSettings(
        @NotNull Method method,
        @NotNull ModelKeying keying,
        @NotEmpty List<String> features,
        @Min(1) @Max(1000) int numberOfTrees,
        @Min(16) @Max(4096) int sampleSize,
        @DecimalMin("1") double timeDecayWindow,
        @Min(1) @Max(64) int shingleSize,
        @Min(1) int outputAfter,
        long seed,
        @DecimalMin(value = "0", inclusive = false) double threshold,
        @DecimalMin(value = "1") @DecimalMax("20") double sigmas,
        boolean directionalExplanation,
        @DecimalMin("0") @DecimalMax("1") double boundingBoxCacheFraction) {

    /** The trades' features. */
    public static final List<String> TRADE_FEATURES = List.of("price", "quantity");

    public ScoringSettings {
        features = List.copyOf(features);
        String problem = problem(method, shingleSize);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why a combination of settings cannot work, or null when it can. */
    public static String problem(Method method, int shingleSize) {
        if (method != Method.KDA && shingleSize != 1) {
            return "detector.shingle-size is KDA's parameter: "
                    + (method == Method.CALIBRATED
                            ? "the calibrated method scores each record on its own"
                            : "the surprise method keeps each key's recent context itself");
        }
        return null;
    }

    /** Exactly the Kinesis Data Analytics configuration, over the trades' features. */
    public static ScoringSettings kda() {
        return kda(TRADE_FEATURES);
    }

    /** Exactly the Kinesis Data Analytics configuration over the given features. */
    public static ScoringSettings kda(List<String> features) {
        return new ScoringSettings(
                Method.KDA, ModelKeying.GLOBAL, features, 100, 256, 100_000, 1, 256, 42, 1.0, 4.75, true, 1.0);
    }

    /** The number of features. */
    public int dimensions() {
        return features.size();
    }

    /** The strategy these settings describe. */
    public DetectionMethod detectionMethod() {
        return method.create(this);
    }

    public ScoringSettings withThreshold(double newThreshold) {
        return new ScoringSettings(
                method,
                keying,
                features,
                numberOfTrees,
                sampleSize,
                timeDecayWindow,
                shingleSize,
                outputAfter,
                seed,
                newThreshold,
                sigmas,
                directionalExplanation,
                boundingBoxCacheFraction);
    }
}
