package io.tradeanomaly.detector.scoring;

/**
 * Where one feature of a key's records is now and how much it varies. Its level is the median of the last records
 * over the longest of three windows (the calibrated method's {@value #LEVEL_WINDOW}, {@value #MIDDLE_WINDOW} and
 * {@value #LONG_WINDOW}; the surprise method's are longer, {@link SurpriseSettings}) whose
 * median agrees with those of all shorter ones (their confidence intervals, {@value #AGREEMENT} standard errors wide,
 * overlap: the intersection of confidence intervals rule). On a steady feature that is the long median, which barely
 * moves from trade to trade however wide the distribution, so that its edges stay sharp; a lasting move (a trend, a
 * split) puts the short median outside the long one's interval and the level follows within a few trades, without any
 * rule about verdicts. Its scale is the median absolute deviation of each trade from the short window's median just
 * before it (unaffected by which window the level is taken from), over the last {@value #SCALE_WINDOW} trades, or
 * over the last {@value #FAST_WINDOW} when that is {@value #FAST_FACTOR} times larger (volatility rising is followed
 * within a few trades, a calm spell only over the long window). Every trade feeds it whatever its verdict:
 * medians ignore outliers up to half of a window, so no verdict is needed to keep them out. The scale never falls
 * below the data's resolution (the smallest gap ever seen between two values of the short window: a price tick, a lot
 * size), so that quantized prices in a calm spell do not look like large moves. Not thread-safe.
 */
final class FeatureScale {

    /** The shortest level window: long enough to ignore up to 10 outliers, short enough to follow a trend. */
    static final int LEVEL_WINDOW = 21;
    /** The middle level window. */
    static final int MIDDLE_WINDOW = 63;
    /** The longest level window (a steady feature's level). */
    static final int LONG_WINDOW = 255;
    /** Half-width of a window median's confidence interval, in its standard errors. */
    static final double AGREEMENT = 2.5;
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
    /**
     * A window median's standard error is at least this times the scale over the root of the window: 1.25 for
     * Gaussian data, 1.35 for uniform (the widest of the symmetric shapes). On a skewed shape it is wider: it is
     * {@code 1 / (2 f(median))}, about the interquartile range, over the root of the window (the log of a quantity
     * uniform on 1..10,000: 1.1 against 0.88 from the scale), so the residuals' interquartile range is used when it is
     * the larger. Too narrow an interval makes a steady skewed feature's level jump to a short window's median by
     * chance, a whole scale and more at once, and every trade on the far side of it looks out of line.
     */
    private static final double MEDIAN_ERROR = 1.35;

    private final RollingWindow values;
    private final RollingWindow middle;
    private final RollingWindow history;
    private final RollingWindow[] levelWindows;
    private double level = Double.NaN;
    private final RollingWindow residuals = new RollingWindow(SCALE_WINDOW);
    private final RollingWindow recent = new RollingWindow(FAST_WINDOW);
    private double slowScale = Double.NaN;
    /** The residuals' interquartile range, measured with the slow scale. */
    private double slowSpread;
    /** Whether the fast scale replaced the slow one when the scale was last read: volatility is rising. */
    private boolean rising;

    private double resolution = Double.POSITIVE_INFINITY;
    private int sinceSlow;

    /** A scale with the calibrated method's level windows. */
    FeatureScale() {
        this(LEVEL_WINDOW, MIDDLE_WINDOW, LONG_WINDOW);
    }

    /**
     * A scale with other level windows (shortest first): the shortest sets how fast a lasting change becomes the level
     * (within about half of it), the longest how steady a steady level is.
     */
    FeatureScale(int levelWindow, int middleWindow, int longWindow) {
        if (levelWindow < MINIMUM || middleWindow <= levelWindow || longWindow <= middleWindow) {
            throw new IllegalArgumentException("level windows must grow from at least " + MINIMUM + ": " + levelWindow
                    + "/" + middleWindow + "/" + longWindow);
        }
        values = new RollingWindow(levelWindow);
        middle = new RollingWindow(middleWindow);
        history = new RollingWindow(longWindow);
        levelWindows = new RollingWindow[] {values, middle, history};
    }

    boolean isReady() {
        return values.size() >= MINIMUM;
    }

    double level() {
        return level;
    }

    /** The longest window median that agrees with every shorter one (see the class comment). */
    private double chooseLevel() {
        double chosen = values.median();
        if (residuals.size() < MINIMUM) {
            return chosen;
        }
        double scale = scale(); // first: it brings slowSpread up to date
        double error = Math.max(MEDIAN_ERROR * scale, slowSpread);
        double lower = Double.NEGATIVE_INFINITY;
        double upper = Double.POSITIVE_INFINITY;
        for (RollingWindow window : levelWindows) {
            double median = window.median();
            double halfWidth = AGREEMENT * error / Math.sqrt(window.size());
            lower = Math.max(lower, median - halfWidth);
            upper = Math.min(upper, median + halfWidth);
            if (lower > upper) {
                break;
            }
            chosen = median;
        }
        return chosen;
    }

    double scale() {
        if (Double.isNaN(slowScale) || sinceSlow >= SLOW_EVERY) {
            slowScale = MAD_TO_SIGMA * residuals.mad();
            slowSpread = residuals.interquartileRange();
            sinceSlow = 0;
        }
        double fast = MAD_TO_SIGMA * recent.mad();
        rising = fast > FAST_FACTOR * slowScale;
        double scale = rising ? fast : slowScale;
        return Math.max(Math.max(scale, resolution == Double.POSITIVE_INFINITY ? 0 : resolution), 1e-12);
    }

    /** Whether the feature's volatility is rising: the scale is the fast one (as of the last standardization). */
    boolean isRising() {
        return rising;
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
            double residual = x - values.median();
            residuals.add(residual);
            recent.add(residual);
            sinceSlow++;
        }
        values.add(x);
        middle.add(x);
        history.add(x);
        level = chooseLevel();
        double gap = values.resolution();
        if (gap > 0 && gap < resolution) {
            resolution = gap;
        }
    }

    /**
     * The windows' values (oldest first: the longest level window, which holds the shorter ones, then the residuals)
     * and the resolution (0 while none is known).
     */
    double[][] state() {
        double known = resolution == Double.POSITIVE_INFINITY ? 0 : resolution;
        return new double[][] {history.values(), residuals.values(), recent.values(), {known}};
    }

    /** Drops the cached slow scale, as a restore does, so that a model and its restored snapshot go on alike. */
    void settle() {
        slowScale = Double.NaN;
        sinceSlow = 0;
    }

    void restore(double[][] state) {
        values.restore(state[0]);
        middle.restore(state[0]);
        history.restore(state[0]);
        residuals.restore(state[1]);
        recent.restore(state[2]);
        resolution = state[3][0] > 0 ? state[3][0] : Double.POSITIVE_INFINITY;
        settle();
        level = values.size() > 0 ? chooseLevel() : Double.NaN;
    }
}
