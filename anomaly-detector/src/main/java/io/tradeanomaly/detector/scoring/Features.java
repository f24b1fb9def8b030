package io.tradeanomaly.detector.scoring;

/** What the forests see of a trade. */
public enum Features {
    /** Raw (price, quantity): exactly KDA's {@code RANDOM_CUT_FOREST(price, quantity)}. */
    RAW,
    /**
     * Per ticker, each feature's (log price, log quantity) calibrated score: its distance from the ticker's current
     * level in its current scale, mapped through the ticker's learnt distribution to a standard normal quantile
     * ({@link FeatureTransform}). Normal trades look alike to the forest whatever the market's shape, price level or
     * volatility; needs {@link ModelKeying#PER_TICKER}.
     */
    CALIBRATED
}
