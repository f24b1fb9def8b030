package io.tradeanomaly.detector.scoring;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns trades into forest coordinates for {@link Features#RELATIVE}: {@code (log(price) - level, log(quantity))}
 * where {@code level} is an exponentially weighted mean of the ticker's recent learnt log prices, both divided by
 * robust scales (median absolute deviation) measured on the model's first {@value #CALIBRATION} trades and fixed
 * afterwards, so that every point in a forest's sample lives in the same coordinates. Calibration is robust to the
 * outliers among those first trades: levels start at the median price, scales are medians of deviations, and points
 * more than {@value #CALIBRATION_OUTLIER} scales from the median are kept out of the forest's first sample. Not
 * thread-safe.
 */
final class FeatureTransform {

    static final int CALIBRATION = 64;
    static final double CALIBRATION_OUTLIER = 6;
    private static final double LEVEL_ALPHA = 2.0 / (20 + 1);
    private static final double MIN_SCALE = 1e-4;

    private final Map<String, double[]> levels = new HashMap<>();
    private final List<String> calibrationTickers = new ArrayList<>(CALIBRATION);
    private final List<double[]> calibrationPoints = new ArrayList<>(CALIBRATION);
    private double[] scales;
    private double quantityCenter;

    boolean isCalibrated() {
        return scales != null;
    }

    /** Forest coordinates of a trade against its ticker's current level (the level is not changed). */
    double[] point(String ticker, double price, double quantity) {
        double logPrice = Math.log(price);
        double[] level = levels.get(ticker);
        double relative = level == null ? 0 : logPrice - level[0];
        return new double[] {relative / scales[0], Math.log(quantity) / scales[1]};
    }

    /**
     * Follows the ticker's price level with every trade that is not far from it (within {@value
     * #CALIBRATION_OUTLIER} scales), whatever the forest's verdict, so that drift never strands the level; a new ticker
     * starts at its first price.
     */
    void observe(String ticker, double price) {
        double logPrice = Math.log(price);
        double[] level = levels.get(ticker);
        if (level == null) {
            levels.put(ticker, new double[] {logPrice});
        } else if (Math.abs(logPrice - level[0]) <= CALIBRATION_OUTLIER * scales[0]) {
            level[0] += LEVEL_ALPHA * (logPrice - level[0]);
        }
    }

    /** Takes a lasting level shift: the ticker's level jumps to the median of its recent prices. */
    void adoptLevel(String ticker, double[] recentPrices) {
        double[] logs = Arrays.stream(recentPrices).map(Math::log).toArray();
        levels.put(ticker, new double[] {median(logs)});
    }

    /** True when a point lies within the robust range of the calibration sample in every coordinate. */
    boolean isOrdinary(double[] point) {
        return Math.abs(point[0]) <= CALIBRATION_OUTLIER && Math.abs(point[1] - quantityCenter) <= CALIBRATION_OUTLIER;
    }

    /**
     * Collects one of the first trades.
     *
     * @return once the last calibration trade arrives, the forest coordinates of those that are not themselves
     *     outliers, to seed the forest with a clean sample; null before that
     */
    double[][] calibrate(String ticker, double price, double quantity) {
        calibrationTickers.add(ticker);
        calibrationPoints.add(new double[] {Math.log(price), Math.log(quantity)});
        if (calibrationPoints.size() < CALIBRATION) {
            return null;
        }
        Map<String, List<Double>> pricesByTicker = new HashMap<>();
        for (int i = 0; i < CALIBRATION; i++) {
            pricesByTicker
                    .computeIfAbsent(calibrationTickers.get(i), t -> new ArrayList<>())
                    .add(calibrationPoints.get(i)[0]);
        }
        pricesByTicker.forEach((t, prices) -> levels.put(t, new double[] {
            median(prices.stream().mapToDouble(Double::doubleValue).toArray())
        }));
        double[] relative = new double[CALIBRATION];
        double[] logQuantity = new double[CALIBRATION];
        for (int i = 0; i < CALIBRATION; i++) {
            relative[i] = calibrationPoints.get(i)[0] - levels.get(calibrationTickers.get(i))[0];
            logQuantity[i] = calibrationPoints.get(i)[1];
        }
        double quantityMedian = median(logQuantity);
        scales = new double[] {mad(relative, 0), mad(logQuantity, quantityMedian)};
        quantityCenter = quantityMedian / scales[1];
        List<double[]> clean = new ArrayList<>();
        for (int i = 0; i < CALIBRATION; i++) {
            if (Math.abs(relative[i]) <= CALIBRATION_OUTLIER * scales[0]
                    && Math.abs(logQuantity[i] - quantityMedian) <= CALIBRATION_OUTLIER * scales[1]) {
                clean.add(new double[] {relative[i] / scales[0], logQuantity[i] / scales[1]});
            }
        }
        calibrationTickers.clear();
        calibrationPoints.clear();
        return clean.toArray(double[][]::new);
    }

    private static double mad(double[] values, double median) {
        double[] deviations = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            deviations[i] = Math.abs(values[i] - median);
        }
        return Math.max(MIN_SCALE, 1.4826 * median(deviations));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    double[] scales() {
        return scales;
    }

    Map<String, double[]> levels() {
        return levels;
    }

    double quantityCenter() {
        return quantityCenter;
    }

    void restore(double[] scales, double quantityCenter, Map<String, double[]> levels) {
        this.scales = scales;
        this.quantityCenter = quantityCenter;
        this.levels.clear();
        this.levels.putAll(levels);
    }
}
