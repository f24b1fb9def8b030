package io.tradeanomaly.detector.scoring;

import java.util.Arrays;

/**
 * The shape of one feature's normal distribution for a ticker, learnt from the standardized values (see {@link
 * FeatureScale}) of its last {@value #REFERENCE} trades judged normal, and the map from a value to a <em>calibrated
 * score</em>: the standard normal quantile of the value's probability under that shape. Normal trades map to about
 * N(0, 1) whatever the shape (tight or wide, uniform, log-normal, heavy-tailed), so the forest sees the same kind of
 * data for every ticker and one cut-off means the same tail probability everywhere.
 *
 * <p>Between the tail thresholds (5 % and 95 % once the reference is full) the reference's own empirical
 * distribution is used. Beyond them the tail is extrapolated as exponential (peaks over threshold, the scale being the
 * mean excess over the threshold): exact for exponential tails (log-Pareto, log-uniform), conservative for Gaussian
 * ones, tight for bounded ones. Beyond a calibrated score of {@value #JUNCTION} (a one-in-a-billion trade) the map
 * continues as the same kind of tail with the body's scale (interquartile range) instead of the fitted one, so that
 * far outliers are ranked by how far out they are, not by the estimation noise of the tail. Not thread-safe.
 */
final class FeatureShape {

    /** Standardized values of trades judged normal that the shape is learnt from. */
    static final int REFERENCE = 512;
    /** Fraction of the reference beyond each tail threshold once it is full. */
    static final double TAIL = 0.05;
    /** Fewest reference values beyond a tail threshold: a young reference uses a lower threshold. */
    static final int TAIL_VALUES = 16;
    /** Calibrated score beyond which far values are mapped with the body's scale. */
    static final double JUNCTION = 6;

    /**
     * Smallest tail scale, as a fraction of the width between the tail thresholds: it only keeps a reference of a
     * few repeated values from having no tail at all. A larger floor overrides the fitted tail of a bounded shape: at
     * 0.05 the log of a quantity uniform on 1..10,000 (whose top 5 % lie within 5 % of its largest value) got a tail
     * six times its own, so quantities of twice the largest normal one were learnt as normal.
     */
    static final double FLOOR = 0.02;

    /**
     * A young shape screens its reference for outliers again ({@link WarmUpScreening}) every this many values it
     * learns, from twice that many on. The warm-up screening judges only its 64 trades: an outlier it misses (one just
     * past a bounded edge, or one of a group that mask each other) widens the young tail, which then lets in the next
     * ones, and the ticker is overrun (a price uniform within ±20 % with 10 % subtle outliers: 2 of 12 tickers caught
     * almost none). The same test on a larger reference sees them. A screening is skipped when the feature's
     * volatility was rising while any value since the last one was learnt ({@link FeatureScale#isRising}): while the
     * scale catches up, normal values lie wider than the shape learnt so far, the test would take them for outliers,
     * and without them the rest of the rise would be flagged (screened anyway, the volatility-regimes workload's
     * precision at 1 % outliers fell to 0.931 on one of three seeds; once the scale has caught up they may go).
     */
    static final int RESCREEN_EVERY = 64;
    /**
     * Values learnt after which the reference is no longer screened: twice the reference, so that it has been refilled
     * once since it was first full. A mature reference keeps what it learns: a feature whose volatility rises learns
     * wider values while its scale catches up, and screening them out for good cost the volatility-regimes workload
     * ten times the false positives (precision 0.87 at 1 % outliers against 0.985).
     */
    static final int RESCREEN_UNTIL = 2 * REFERENCE;

    private static final int REFIT_EVERY = 8;
    private static final double IQR_TO_SIGMA = 1.349;

    private final RollingWindow reference = new RollingWindow(REFERENCE);
    private double tail;
    private double low;
    private double high;
    private double betaLow;
    private double betaHigh;
    private double body;
    private double farLow;
    private double farHigh;
    private int sinceFit;
    /** Values learnt since the shape started (from the warm-up's), capped once past {@link #RESCREEN_UNTIL}. */
    private int learnt;
    /** Whether the feature's volatility was rising while a value was learnt since the last screening. */
    private boolean rose;

    int size() {
        return reference.size();
    }

    /** Values learnt since the shape started, counted up to a little past {@link #RESCREEN_UNTIL}. */
    int learnt() {
        return learnt;
    }

    /** Whether the feature's volatility was rising while a value was learnt since the last screening. */
    boolean rose() {
        return rose;
    }

    /** Adds the standardized value of a trade judged normal; {@code rising}: learnt while volatility was rising. */
    void learn(double u, boolean rising) {
        rose |= rising;
        reference.add(u);
        if (learnt <= RESCREEN_UNTIL) {
            learnt++;
            if (learnt % RESCREEN_EVERY == 0 && learnt >= 2 * RESCREEN_EVERY && learnt <= RESCREEN_UNTIL) {
                rescreen();
            }
        }
        if (++sinceFit >= REFIT_EVERY || reference.size() < 2 * REFERENCE / 8) {
            fit();
        }
    }

    /** Drops the outliers a young reference has learnt (see {@link #RESCREEN_EVERY}). */
    private void rescreen() {
        if (rose) {
            rose = false;
            return;
        }
        double[] values = reference.values();
        boolean[] outliers = WarmUpScreening.outliers(values);
        double[] kept = new double[values.length];
        int size = 0;
        for (int i = 0; i < values.length; i++) {
            if (!outliers[i]) {
                kept[size++] = values[i];
            }
        }
        if (size < values.length) {
            reference.restore(Arrays.copyOf(kept, size));
            fit();
        }
    }

    void fit() {
        sinceFit = 0;
        int n = reference.size();
        tail = Math.min(0.25, Math.max(TAIL, (double) TAIL_VALUES / n));
        low = reference.quantile(tail);
        high = reference.quantile(1 - tail);
        double floor = FLOOR * (high - low) + 1e-9;
        betaHigh = Math.max(floor, reference.meanExcess(high));
        betaLow = Math.max(floor, reference.meanDeficit(low));
        body = Math.max(1e-9, reference.interquartileRange() / IQR_TO_SIGMA);
        double logTail = NormalScores.logUpperTail(JUNCTION);
        farHigh = high + betaHigh * (Math.log(tail) - logTail);
        farLow = low - betaLow * (Math.log(tail) - logTail);
    }

    /**
     * The calibrated score of a standardized value.
     *
     * @param resolution the data's resolution in the same units: a tail is never taken to fall off faster than by a
     *     factor e per resolution step (quantized prices in a calm spell learn a lattice of a few values)
     */
    double score(double u, double resolution) {
        if (resolution > betaHigh || resolution > betaLow) {
            return scoreWithin(u, Math.max(betaLow, resolution), Math.max(betaHigh, resolution));
        }
        return scoreWithin(u, betaLow, betaHigh);
    }

    private double scoreWithin(double u, double betaLow, double betaHigh) {
        double logTail = NormalScores.logUpperTail(JUNCTION);
        double farHigh = Math.max(this.farHigh, high + betaHigh * (Math.log(tail) - logTail));
        double farLow = Math.min(this.farLow, low - betaLow * (Math.log(tail) - logTail));
        if (u > farHigh) {
            return Math.sqrt(JUNCTION * JUNCTION + 2 * (u - farHigh) / body);
        }
        if (u < farLow) {
            return -Math.sqrt(JUNCTION * JUNCTION + 2 * (farLow - u) / body);
        }
        if (u >= high) {
            return NormalScores.upperQuantile(Math.log(tail) - (u - high) / betaHigh);
        }
        if (u <= low) {
            return -NormalScores.upperQuantile(Math.log(tail) - (low - u) / betaLow);
        }
        double p = reference.rank(u);
        return p >= 0.5 ? NormalScores.upperQuantile(Math.log(1 - p)) : -NormalScores.upperQuantile(Math.log(p));
    }

    /** The standardized value with a given calibrated score (the inverse of {@link #score}). */
    double value(double c) {
        if (c >= JUNCTION) {
            return farHigh + (c * c - JUNCTION * JUNCTION) * body / 2;
        }
        if (c <= -JUNCTION) {
            return farLow - (c * c - JUNCTION * JUNCTION) * body / 2;
        }
        double logUpper = NormalScores.logUpperTail(Math.abs(c)); // ln P(Z > |c|)
        if (c > 0 && logUpper < Math.log(tail)) {
            return high + betaHigh * (Math.log(tail) - logUpper);
        }
        if (c < 0 && logUpper < Math.log(tail)) {
            return low - betaLow * (Math.log(tail) - logUpper);
        }
        double p = c >= 0 ? 1 - Math.exp(logUpper) : Math.exp(logUpper);
        return reference.quantile(p);
    }

    double[] state() {
        return reference.values();
    }

    void restore(double[] values, int learnt, boolean rose) {
        reference.restore(values);
        this.learnt = learnt;
        this.rose = rose;
        fit();
    }
}
