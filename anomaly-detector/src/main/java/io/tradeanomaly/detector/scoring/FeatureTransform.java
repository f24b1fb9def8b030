package io.tradeanomaly.detector.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a key's records into forest coordinates for the calibrated method ({@link CalibratedMethod}): for each feature
 * (its logarithm) the record's distance from the ticker's current level in its current scale ({@link FeatureScale}), mapped
 * through the ticker's learnt shape to a calibrated score ({@link FeatureShape}), about N(0, 1) for normal trades of any
 * shape. The first {@value #SCREENED} trades after the level and scale are known are collected, standardized together
 * against the level and scale as they stand after the last of them, and screened for outliers ({@link
 * WarmUpScreening}) before they seed the shapes, so that the model starts clean even when outliers are frequent.
 * Standardizing them together matters: standardized one by one, on arrival, they would be on scales measured over as
 * few as {@value FeatureScale#MINIMUM} trades, and values on a dozen different scales make a seed whose tails are wide
 * enough to learn the next outliers. Not thread-safe.
 */
final class FeatureTransform {

    /** Standardized trades screened together to seed the shapes. */
    static final int SCREENED = 64;
    /** Trades a model has seen when its first calibrated point is ready (the location and scale, then the screening). */
    static final int CALIBRATION = FeatureScale.MINIMUM + SCREENED;

    private final int dimensions;
    private final FeatureScale[] scales;
    private final FeatureShape[] shapes;
    private final List<double[]> screening = new ArrayList<>(SCREENED);

    FeatureTransform(int dimensions) {
        this.dimensions = dimensions;
        this.scales = new FeatureScale[dimensions];
        this.shapes = new FeatureShape[dimensions];
        for (int i = 0; i < dimensions; i++) {
            scales[i] = new FeatureScale();
            shapes[i] = new FeatureShape();
        }
    }

    /** The record's features as the model reads them: their logarithms (price and quantity, for trades). */
    static double[] features(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }

    boolean isCalibrated() {
        return shapes[0].size() > 0;
    }

    /** The trade's standardized features against the current levels and scales, or null before they are known. */
    double[] standardize(double[] features) {
        if (!scales[0].isReady()) {
            return null;
        }
        double[] u = new double[features.length];
        for (int i = 0; i < u.length; i++) {
            u[i] = scales[i].standardize(features[i]);
        }
        return u;
    }

    /** Follows the levels and scales with a trade (every trade, whatever its verdict). */
    void observe(double[] features) {
        for (int i = 0; i < features.length; i++) {
            scales[i].observe(features[i]);
        }
    }

    /**
     * Collects the features of one of the first trades (already observed).
     *
     * @return once the last one arrives, those that are not outliers, standardized against the current level and
     *     scale (already learnt into the shapes), to seed the forest; null before that
     */
    List<double[]> screen(double[] features) {
        screening.add(features);
        if (screening.size() < SCREENED) {
            return null;
        }
        List<double[]> standardized = screening.stream().map(this::standardize).toList();
        boolean[][] outliers = new boolean[dimensions][];
        for (int i = 0; i < dimensions; i++) {
            int feature = i;
            outliers[i] = WarmUpScreening.outliers(
                    standardized.stream().mapToDouble(v -> v[feature]).toArray());
        }
        List<double[]> clean = new ArrayList<>();
        for (int t = 0; t < standardized.size(); t++) {
            boolean outlier = false;
            for (int i = 0; i < dimensions; i++) {
                outlier |= outliers[i][t];
            }
            if (!outlier) {
                clean.add(standardized.get(t));
            }
        }
        for (double[] u0 : clean) {
            for (int i = 0; i < dimensions; i++) {
                shapes[i].learn(u0[i], false); // standardized together on the scale after the last of them
            }
        }
        screening.clear();
        return clean;
    }

    /** Forest coordinates (calibrated scores) of standardized features. */
    double[] calibrate(double[] u) {
        double[] c = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            c[i] = shapes[i].score(u[i], scales[i].resolutionInScales());
        }
        return c;
    }

    /** Whether the shapes are still learning their first {@value FeatureShape#REFERENCE} values. */
    boolean isYoung() {
        return shapes[0].size() < FeatureShape.REFERENCE;
    }

    /** Learns the shape of a trade judged normal. */
    void learn(double[] u) {
        for (int i = 0; i < u.length; i++) {
            shapes[i].learn(u[i], scales[i].isRising());
        }
    }

    /** What the model expects for a feature, in its own units (a price, a quantity): its typical value. */
    double expected(int feature) {
        return Math.exp(scales[feature].value(shapes[feature].value(0)));
    }

    /**
     * Everything needed to restore the transform: per feature its scale's windows, its shape and where the shape's
     * screening stands, then the warm-up's screening.
     */
    State state() {
        double[][][] features = new double[dimensions][][];
        for (int i = 0; i < dimensions; i++) {
            double[][] scale = scales[i].state();
            double[] screening = {shapes[i].learnt(), shapes[i].rose() ? 1 : 0};
            features[i] = new double[][] {scale[0], scale[1], scale[2], scale[3], shapes[i].state(), screening};
        }
        return new State(features, screening.toArray(double[][]::new));
    }

    static FeatureTransform restore(State state) {
        FeatureTransform transform = new FeatureTransform(state.features().length);
        for (int i = 0; i < transform.dimensions; i++) {
            double[][] f = state.features()[i];
            transform.scales[i].restore(new double[][] {f[0], f[1], f[2], f[3]});
            if (f[4].length > 0) {
                transform.shapes[i].restore(f[4], (int) f[5][0], f[5][1] != 0);
            }
        }
        transform.screening.addAll(List.of(state.screening()));
        return transform;
    }

    /**
     * A transform's state: per feature {level window, slow and fast residual windows, {resolution}, shape reference,
     * {values the shape has learnt, 1 if volatility rose since its last screening}}, values oldest first;
     * and the features of the trades collected for screening (empty once screened).
     */
    record State(double[][][] features, double[][] screening) {}
}
