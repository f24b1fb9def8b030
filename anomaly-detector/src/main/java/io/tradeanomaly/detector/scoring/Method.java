package io.tradeanomaly.detector.scoring;

/** The detection methods ({@code detector.method}): each a {@link DetectionMethod}, chosen by one setting. */
public enum Method {
    /**
     * The default: each key learns its own normal distribution per feature, robustly, and a forest over the calibrated
     * deviations judges a record against a cut-off that means the same tail probability for every key
     * ({@link CalibratedMethod}). One model per key.
     */
    CALIBRATED(ModelKeying.PER_KEY),
    /**
     * Exactly Kinesis Data Analytics' {@code RANDOM_CUT_FOREST_WITH_EXPLANATION}: a forest over the raw features,
     * every record learnt, a fixed threshold ({@link KdaMethod}). One forest per shard unless {@code detector.model}
     * says per key.
     */
    KDA(ModelKeying.GLOBAL);

    private final ModelKeying defaultKeying;

    Method(ModelKeying defaultKeying) {
        this.defaultKeying = defaultKeying;
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
        };
    }
}
