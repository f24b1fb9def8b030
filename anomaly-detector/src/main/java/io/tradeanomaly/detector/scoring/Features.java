package io.tradeanomaly.detector.scoring;

/** What the forests see of a trade. */
public enum Features {
    /** Raw (price, quantity): exactly KDA's {@code RANDOM_CUT_FOREST(price, quantity)}. */
    RAW,
    /**
     * (log of the price relative to the ticker's recent price level, log of the quantity), each divided by a scale
     * calibrated on the model's first trades. Removes price drift and the 10,000x price differences between tickers,
     * and makes trade sizes (log-normal) symmetric, so that RCF's cuts weigh both features alike.
     */
    RELATIVE,
    PROTO,
    PROTO2
}
