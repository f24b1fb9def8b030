package io.tradeanomaly.detector.scoring;

/**
 * PROTOTYPE: one feature's learnt normal distribution. Location and scale follow the recent trades (all of them:
 * median and median absolute deviation tolerate outliers up to half a window), so that level moves and volatility
 * changes are followed at once; the shape of the standardized values is learnt from a longer reference of trades
 * judged normal: its empirical distribution in the body, exponential tails fitted beyond. A value maps to a
 * calibrated normal score: the standard normal quantile of its probability under that learnt distribution.
 */
final class Calibration {

    static int LEVEL_WINDOW = Integer.getInteger("proto.levelWindow", 21);
    static int SCALE_WINDOW = Integer.getInteger("proto.scaleWindow", 127);
    static int FAST_WINDOW = Integer.getInteger("proto.fastWindow", 15);
    static int REFERENCE = Integer.getInteger("proto.reference", 512);
    static double TAIL_Q = Double.parseDouble(System.getProperty("proto.tailQ", "0.05"));
    static int TAIL_MIN = Integer.getInteger("proto.tailMin", 16);
    static boolean MEDIAN = !Boolean.getBoolean("proto.meanExcess");

    final RollingWindow values = new RollingWindow(LEVEL_WINDOW);
    final RollingWindow residuals = new RollingWindow(SCALE_WINDOW);
    final RollingWindow recent = new RollingWindow(FAST_WINDOW);
    private double slowScale;
    private int sinceScale;
    final RollingWindow reference = new RollingWindow(REFERENCE);
    private double[] sorted = new double[0];
    private double tail;
    private double low;
    private double high;
    private double betaLow;
    private double betaHigh;
    private int sinceFit;

    boolean locationReady() {
        return values.size() >= 8 && residuals.size() >= 8;
    }

    double level() {
        return values.median();
    }

    double scale() {
        if (sinceScale == 0 || sinceScale >= 8) {
            sinceScale = 0;
            slowScale = 1.4826 * residuals.mad(residuals.median());
        }
        double fast = 1.4826 * recent.mad(recent.median());
        return Math.max(Math.max(Math.max(slowScale, fast), values.resolution()), 1e-12);
    }

    /** Standardized value against the current location and scale. */
    double standardize(double x) {
        return (x - level()) / scale();
    }

    /** Follows the location and scale with a new value (every trade, whatever its verdict). */
    void observe(double x) {
        if (values.size() > 0) {
            residuals.add(x - level());
            recent.add(x - level());
            sinceScale++;
        }
        values.add(x);
    }

    /** Adds a standardized value of a trade judged normal to the shape reference. */
    void learn(double u) {
        reference.add(u);
        if (++sinceFit >= 8 || reference.size() < 128) {
            fit();
        }
    }

    void fit() {
        sinceFit = 0;
        int n = reference.size();
        sorted = reference.sorted();
        tail = Math.min(0.25, Math.max(TAIL_Q, (double) TAIL_MIN / n));
        low = reference.quantile(tail);
        high = reference.quantile(1 - tail);
        double floor = 0.05 * (high - low) + 1e-9;
        betaHigh = Math.max(floor, MEDIAN ? reference.medianExcess(high) / Math.log(2) : reference.meanExcess(high));
        betaLow = Math.max(floor, MEDIAN ? reference.medianDeficit(low) / Math.log(2) : reference.meanDeficit(low));
    }

    /** The calibrated normal score of a standardized value. */
    double score(double u) {
        if (u >= high) {
            return NormalScores.upperQuantile(Math.log(tail) - (u - high) / betaHigh);
        }
        if (u <= low) {
            return -NormalScores.upperQuantile(Math.log(tail) - (low - u) / betaLow);
        }
        double p = cdf(u);
        return p >= 0.5 ? NormalScores.upperQuantile(Math.log(1 - p)) : -NormalScores.upperQuantile(Math.log(p));
    }

    /** Empirical distribution function, linear between order statistics at plotting positions i / (n - 1). */
    private double cdf(double u) {
        int n = sorted.length;
        int i = java.util.Arrays.binarySearch(sorted, u);
        if (i < 0) {
            i = -i - 1; // sorted[i - 1] < u < sorted[i]
            double f = (u - sorted[i - 1]) / (sorted[i] - sorted[i - 1]);
            return (i - 1 + f) / (n - 1);
        }
        // ties: the middle of the run of equal values
        int first = i;
        int last = i;
        while (first > 0 && sorted[first - 1] == u) {
            first--;
        }
        while (last < n - 1 && sorted[last + 1] == u) {
            last++;
        }
        return (first + last) / 2.0 / (n - 1);
    }
}
