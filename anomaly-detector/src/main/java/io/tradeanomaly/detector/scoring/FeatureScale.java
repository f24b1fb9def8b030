package io.tradeanomaly.detector.scoring;

/**
 * Where one feature of a ticker's trades is now and how much it varies: its level is the median of the last {@value
 * #LEVEL_WINDOW} values, its scale the median absolute deviation from that level over the last {@value #SCALE_WINDOW}
 * trades, or over the last {@value #FAST_WINDOW} when that is {@value #FAST_FACTOR} times larger (volatility rising
 * is followed within a few trades, a calm spell only over the long window). Every trade feeds it whatever its verdict:
 * medians ignore outliers up to half of a window, so no verdict is needed to keep them out, and a lasting move (a
 * trend, a split) is followed without any rule. The scale never falls below the data's resolution (the smallest gap
 * ever seen between two values of the level window: a price tick, a lot size), so that quantized prices in a calm spell do not
 * look like large moves. Not thread-safe.
 */
final class FeatureScale {

    /** Trades the level is the median of: long enough to ignore up to 10 outliers, short enough to follow a trend. */
    static final int LEVEL_WINDOW = 21;
    /** Trades the scale is measured over, so that it is stable (about 5 % error) on any shape. */
    static final int SCALE_WINDOW = 255;
    /** Trades a rise in volatility is detected over. */
    static final int FAST_WINDOW = 31;
    /** How much larger the fast scale must be to replace the slow one (its own noise stays below that). */
    static final double FAST_FACTOR = 1.5;
    /** Values needed before a level and scale are given. */
    static final int MINIMUM = 8;

    private static final int SLOW_EVERY = 16;
    private static final double MAD_TO_SIGMA = 1.4826;

    private final RollingWindow values = new RollingWindow(LEVEL_WINDOW);
    private final RollingWindow residuals = new RollingWindow(SCALE_WINDOW);
    private final RollingWindow recent = new RollingWindow(FAST_WINDOW);
    private double slowScale = Double.NaN;
    private double resolution = Double.POSITIVE_INFINITY;
    private int sinceSlow;

    boolean isReady() {
        return values.size() >= MINIMUM;
    }

    double level() {
        return values.median();
    }

    double scale() {
        if (Double.isNaN(slowScale) || sinceSlow >= SLOW_EVERY) {
            slowScale = MAD_TO_SIGMA * residuals.mad();
            sinceSlow = 0;
        }
        double fast = MAD_TO_SIGMA * recent.mad();
        double scale = fast > FAST_FACTOR * slowScale ? fast : slowScale;
        return Math.max(Math.max(scale, resolution == Double.POSITIVE_INFINITY ? 0 : resolution), 1e-12);
    }

    /** The data's resolution in current scales (at most 1; about 0 for continuous data). */
    double resolutionInScales() {
        return resolution == Double.POSITIVE_INFINITY ? 0 : resolution / scale();
    }

    /** A value in scales from the current level. */
    double standardize(double x) {
        return (x - level()) / scale();
    }

    /** The value that lies {@code u} scales from the current level. */
    double value(double u) {
        return level() + u * scale();
    }

    /** Follows the feature with a new value (every trade). */
    void observe(double x) {
        if (values.size() > 0) {
            double residual = x - level();
            residuals.add(residual);
            recent.add(residual);
            sinceSlow++;
        }
        values.add(x);
        double gap = values.resolution();
        if (gap > 0 && gap < resolution) {
            resolution = gap;
        }
    }

    /** The windows' values (oldest first) and the resolution (0 while none is known). */
    double[][] state() {
        double known = resolution == Double.POSITIVE_INFINITY ? 0 : resolution;
        return new double[][] {values.values(), residuals.values(), recent.values(), {known}};
    }

    void restore(double[][] state) {
        values.restore(state[0]);
        residuals.restore(state[1]);
        recent.restore(state[2]);
        resolution = state[3][0] > 0 ? state[3][0] : Double.POSITIVE_INFINITY;
        slowScale = Double.NaN;
        sinceSlow = 0;
    }
}
