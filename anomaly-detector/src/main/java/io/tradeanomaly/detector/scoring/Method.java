package io.tradeanomaly.detector.scoring;

/** The detection methods ({@code detector.method}): each a {@link DetectionMethod}, chosen by one setting. */
public enum Method {
    /**
     * The default: each key learns its own normal distribution per feature, robustly, and a forest over the calibrated
     * deviations judges a record against a cut-off that means the same tail probability for every key
     * ({@link CalibratedMethod}). One model per key.
     */
    CALIBRATED(ModelKeying.PER_KEY, 1.0),
    /**
     * Exactly Kinesis Data Analytics' {@code RANDOM_CUT_FOREST_WITH_EXPLANATION}: a forest over the raw features,
     * every record learnt, a fixed threshold ({@link KdaMethod}). One forest per shard unless {@code detector.model}
     * says per key.
     */
    KDA(ModelKeying.GLOBAL, 1.0),
    /**
     * Each key learns its own recent normal per feature and how its features relate; a record scores how surprising
     * it is under that normal, in decades (4: one in 10,000), the same tail probability for every key
     * ({@link SurpriseMethod}). One model per key.
     */
    SURPRISE(ModelKeying.PER_KEY, SurpriseSettings.DEFAULT_THRESHOLD);

    private final ModelKeying defaultKeying;
    private final double defaultThreshold;

    Method(ModelKeying defaultKeying, double defaultThreshold) {
        this.defaultKeying = defaultKeying;
        this.defaultThreshold = defaultThreshold;
    }

    /** The threshold when {@code detector.threshold} is not set (each method's score has its own unit). */
    public double defaultThreshold() {
        return defaultThreshold;
    }

    /** The keying of this method when {@code detector.model} is not set. */
    public ModelKeying defaultKeying() {
        return defaultKeying;
    }

    /** The strategy for these settings. */
    DetectionMethod create(ScoringSettings settings) {
        return switch (this) {
            case CALIBRATED -> new CalibratedMethod(settings);
            case KDA -> new KdaMethod(settings);
            case SURPRISE -> new SurpriseMethod(settings);
        };
    }
}
