package io.tradeanomaly.detector.scoring;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

/**
 * How trades are scored. The forest parameters default to those of KDA's {@code RANDOM_CUT_FOREST}.
 *
 * @param keying one forest per shard (GLOBAL, KDA) or per ticker (PER_TICKER)
 * @param features what the forests see: RAW (price, quantity) as KDA, or CALIBRATED (per ticker, shape-free)
 * @param numberOfTrees trees per forest (KDA: 100)
 * @param sampleSize points each tree keeps (KDA: 256)
 * @param timeDecayWindow KDA's {@code timeDecay}: roughly how many recent points the sample represents; the
 *     library's decay rate is its inverse (KDA: 100000, i.e. a rate of 1e-5)
 * @param outputAfter trades a model must have seen before it gives a verdict; until then trades score 0 (KDA: the
 *     sample size)
 * @param seed seed of the forests' randomness; each model derives its own from it and its key, so runs are repeatable
 * @param thresholdMode FIXED (score &gt; threshold) or ADAPTIVE (per-model cut-off, threshold as floor)
 * @param threshold the fixed threshold, or the floor in ADAPTIVE mode (changeable at runtime)
 * @param sigmas ADAPTIVE: how many calibrated deviations out in one feature a trade scores the cut-off (4.75 is a
 *     one-in-a-million trade under the ticker's learnt distribution)
 * @param learnFromAnomalies whether trades judged anomalous still update the forest (KDA: yes). Learning them lets
 *     outliers mask each other when they are frequent; not learning them keeps the sample clean
 * @param boundingBoxCacheFraction share of tree nodes whose bounding boxes RCF caches: 1 is fastest, 0 halves a
 *     model's memory at about three times the CPU per score
 */
public record ScoringSettings(
        @NotNull ModelKeying keying,
        @NotNull Features features,
        @Min(1) @Max(1000) int numberOfTrees,
        @Min(16) @Max(4096) int sampleSize,
        @DecimalMin("1") double timeDecayWindow,
        @Min(1) int outputAfter,
        long seed,
        @NotNull ThresholdMode thresholdMode,
        @DecimalMin(value = "0", inclusive = false) double threshold,
        @DecimalMin(value = "1") @DecimalMax("20") double sigmas,
        boolean learnFromAnomalies,
        @DecimalMin("0") @DecimalMax("1") double boundingBoxCacheFraction) {

    public ScoringSettings {
        String problem = problem(keying, features, thresholdMode);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why a combination of keying, features and threshold mode cannot work, or null when it can. */
    public static String problem(ModelKeying keying, Features features, ThresholdMode thresholdMode) {
        if (features == Features.CALIBRATED && keying == ModelKeying.GLOBAL) {
            return "calibrated features learn each ticker's own distribution: they need per-ticker models"
                    + " (global keying takes raw features, as KDA)";
        }
        if (thresholdMode == ThresholdMode.ADAPTIVE && features == Features.RAW) {
            return "the adaptive cut-off is read in calibrated deviations: it needs calibrated features"
                    + " (raw features take a fixed threshold, as KDA)";
        }
        return null;
    }

    /** Exactly the Kinesis Data Analytics configuration. */
    public static ScoringSettings kda() {
        return new ScoringSettings(
                ModelKeying.GLOBAL,
                Features.RAW,
                100,
                256,
                100_000,
                256,
                42,
                ThresholdMode.FIXED,
                1.0,
                4.75,
                true,
                1.0);
    }

    public ScoringSettings withThreshold(double newThreshold) {
        return new ScoringSettings(
                keying,
                features,
                numberOfTrees,
                sampleSize,
                timeDecayWindow,
                outputAfter,
                seed,
                thresholdMode,
                newThreshold,
                sigmas,
                learnFromAnomalies,
                boundingBoxCacheFraction);
    }
}
