package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

/** The pieces of the calibrated features: scale, learnt shape, screening, normal tails. */
class FeatureCalibrationTest {

    private static final SplittableRandom RANDOM = new SplittableRandom(11);

    /** A shape learnt from 512 values of a distribution, as a model learns it from normal trades. */
    private static FeatureShape learnt(DoubleSupplier distribution) {
        FeatureShape shape = new FeatureShape();
        for (int i = 0; i < FeatureShape.REFERENCE; i++) {
            shape.learn(distribution.getAsDouble(), false);
        }
        return shape;
    }

    /** The share of fresh values of the distribution that the shape scores beyond {@code z}. */
    private static double beyond(FeatureShape shape, DoubleSupplier distribution, double z) {
        int n = 200_000;
        int out = 0;
        for (int i = 0; i < n; i++) {
            out += Math.abs(shape.score(distribution.getAsDouble(), 0)) > z ? 1 : 0;
        }
        return (double) out / n;
    }

    @Test
    void normalValuesOfAnyShapeCalibrateToAboutAStandardNormal() {
        DoubleSupplier gaussian = RANDOM::nextGaussian;
        DoubleSupplier uniform = () -> RANDOM.nextDouble() * 4 - 2;
        DoubleSupplier heavyTail = () -> Math.log(Math.pow(1 - RANDOM.nextDouble(), -1 / 1.5)); // log of Pareto(1.5)
        for (DoubleSupplier shape : new DoubleSupplier[] {gaussian, uniform, heavyTail}) {
            FeatureShape learnt = learnt(shape);
            // the body: about half of the values within 0.67, as for N(0, 1)
            assertThat(beyond(learnt, shape, 0.6745)).isCloseTo(0.5, within(0.05));
            // the tails: the cut-off (4.75 deviations) is rare for normal values of every shape
            assertThat(beyond(learnt, shape, 4.75)).isLessThan(2e-4);
        }
    }

    @Test
    void aHardEdgedShapeScoresValuesJustBeyondItsEdgeFarOut() {
        FeatureShape uniform = learnt(() -> RANDOM.nextDouble() * 2 - 1); // normal values within ±1
        assertThat(uniform.score(0.9, 0)).isLessThan(2.5);
        assertThat(uniform.score(2.3, 0))
                .as("2.3 half-widths out, beyond the cut-off (4.75)")
                .isGreaterThan(5);
        FeatureShape heavy = learnt(() -> Math.log(Math.pow(1 - RANDOM.nextDouble(), -1 / 1.5)));
        assertThat(heavy.score(Math.log(Math.pow(1e-4, -1 / 1.5)), 0))
                .as("a heavy tail's one-in-ten-thousand value is not an outlier")
                .isLessThan(4.75);
    }

    @Test
    void aUniformQuantitysShapeLearnsNothingFarPastItsLargestValue() {
        // AWS's sample generator: quantities uniform on 1..10,000, whose log piles up against its upper edge
        SplittableRandom random = new SplittableRandom(13);
        FeatureScale scale = new FeatureScale();
        for (int i = 0; i < FeatureScale.SCALE_WINDOW; i++) {
            scale.observe(Math.log(1 + random.nextInt(10_000)));
        }
        FeatureShape shape = learnt(() -> scale.standardize(Math.log(1 + random.nextInt(10_000))));
        assertThat(shape.score(scale.standardize(Math.log(10_000)), 0))
                .as("the largest normal quantity")
                .isLessThan(3);
        assertThat(shape.score(scale.standardize(Math.log(15_000)), 0))
                .as("one and a half times the largest normal quantity is beyond what a model learns")
                .isGreaterThan(CalibratedModel.LEARN_WITHIN);
    }

    @Test
    void scoresGrowWithDistanceFarBeyondTheLearntRangeAndInvertBack() {
        FeatureShape shape = learnt(RANDOM::nextGaussian);
        double previous = 0;
        for (double u : new double[] {1, 3, 6, 10, 30, 100, 300, 1000}) {
            double c = shape.score(u, 0);
            assertThat(c).isGreaterThan(previous);
            assertThat(shape.value(c)).isCloseTo(u, within(1e-3 * Math.max(1, u)));
            previous = c;
        }
        assertThat(shape.score(-300, 0)).isLessThan(shape.score(-30, 0));
        assertThat(shape.value(0)).isCloseTo(0, within(0.15)); // the typical value is the median
    }

    @Test
    void aQuantizedFeatureIsNotScoredFinerThanItsResolution() {
        // a calm spell on a cheap stock: most trades at the same tick, a few one tick off
        FeatureShape lattice = learnt(() -> RANDOM.nextDouble() < 0.8 ? 0 : RANDOM.nextBoolean() ? 1 : -1);
        assertThat(lattice.score(3, 1)).as("three ticks off").isLessThan(3);
        assertThat(lattice.score(40, 1)).as("forty ticks off").isGreaterThan(4.75);
    }

    @Test
    void theScaleIgnoresOutliersFollowsRisingVolatilityAndNeverFallsBelowTheTick() {
        FeatureScale scale = new FeatureScale();
        double[] scales = new double[100];
        for (int i = 0; i < 400; i++) {
            double x = Math.log(100 * (1 + 0.002 * RANDOM.nextGaussian()));
            scale.observe(RANDOM.nextDouble() < 0.1 ? x + Math.log(3) : x); // 10 % inflated outliers
            if (i >= 300) {
                scales[i - 300] = scale.scale();
            }
        }
        assertThat(scale.level()).isCloseTo(Math.log(100), within(0.002));
        java.util.Arrays.sort(scales);
        // about 0.2 %: the outliers move it by about an eighth (a burst of them in the fast window, briefly more)
        assertThat(scales[50]).isBetween(0.0018, 0.0026);
        assertThat(scales[99]).isLessThan(0.005);
        for (int i = 0; i < 20; i++) { // volatility ten times higher
            scale.observe(Math.log(100 * (1 + 0.02 * RANDOM.nextGaussian())));
        }
        assertThat(scale.scale())
                .as("after 20 trades (the slow scale alone: 0.002)")
                .isGreaterThan(0.004);
        for (int i = 0; i < 20; i++) {
            scale.observe(Math.log(100 * (1 + 0.02 * RANDOM.nextGaussian())));
        }
        assertThat(scale.scale()).as("after 40 trades").isGreaterThan(0.013);

        FeatureScale frozen = new FeatureScale();
        for (int i = 0; i < 300; i++) { // a $13 stock that hardly moves: mostly one price, now and then a tick
            frozen.observe(Math.log(i % 10 == 0 ? 13.35 : 13.34));
        }
        assertThat(frozen.scale()).isGreaterThanOrEqualTo(Math.log(13.35 / 13.34) * 0.999);
    }

    @Test
    void theLevelOfASteadyWideFeatureHoldsStillAndALastingShiftIsFollowedWithinTheShortWindow() {
        // AWS's sample generator: quantity uniform on 1..10,000, whose log is wide and skewed
        SplittableRandom random = new SplittableRandom(12); // its own: the other tests' values stay as they were
        FeatureScale scale = new FeatureScale();
        RollingWindow shortMedian = new RollingWindow(FeatureScale.LEVEL_WINDOW);
        double levelMoves = 0;
        double shortMoves = 0;
        for (int i = 0; i < 3000; i++) {
            double x = Math.log(1 + random.nextInt(10_000));
            double level = scale.isReady() ? scale.level() : Double.NaN;
            double before = shortMedian.size() > 0 ? shortMedian.median() : Double.NaN;
            scale.observe(x);
            shortMedian.add(x);
            if (i >= 500) {
                levelMoves += Math.abs(scale.level() - level);
                shortMoves += Math.abs(shortMedian.median() - before);
            }
        }
        // a median of the last 21 moves by about a tenth of a scale per trade, the edge of the distribution with it
        assertThat(levelMoves)
                .as("total movement of the level against a %d-trade median's", FeatureScale.LEVEL_WINDOW)
                .isLessThan(0.25 * shortMoves);
        assertThat(scale.level()).isCloseTo(Math.log(5000), within(0.2 * scale.scale()));

        double shifted = scale.level() + 2 * scale.scale(); // a lasting move (a new regime of order sizes)
        for (int i = 0; i < FeatureScale.LEVEL_WINDOW; i++) {
            scale.observe(shifted + 0.01 * scale.scale() * random.nextGaussian());
        }
        assertThat(scale.level()).isCloseTo(shifted, within(0.1 * scale.scale()));
    }

    @Test
    void theLevelOfASteadySkewedFeatureRarelyStraysFromItsMedian() {
        // the log of a quantity uniform on 1..10,000: a short window's median scatters far more below the median than
        // above it; were the level's confidence intervals as narrow as a symmetric shape's, it would often jump there
        int strays = 0;
        for (long seed = 1; seed <= 6; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            FeatureScale scale = new FeatureScale();
            for (int i = 0; i < 20_000; i++) {
                scale.observe(Math.log(1 + random.nextInt(10_000)));
                if (i >= FeatureScale.LONG_WINDOW && Math.abs(scale.level() - Math.log(5000.5)) > 0.8 * scale.scale()) {
                    strays++;
                }
            }
        }
        assertThat(strays)
                .as("trades of 120,000 with the level 0.8 scales or more off the median")
                .isLessThan(30);
    }

    @Test
    void warmUpScreeningFindsAGroupOfOutliersAndNothingInCleanData() {
        double[] values = new double[64];
        for (int i = 0; i < values.length; i++) {
            values[i] = RANDOM.nextDouble() * 2 - 1;
        }
        for (int i = 0;
                i < 7;
                i++) { // 11 % outliers, 2.5 to 8 half-widths out, hiding each other from one-at-a-time tests
            values[i * 9] = 2.5 + i;
        }
        boolean[] outliers = WarmUpScreening.outliers(values);
        for (int i = 0; i < values.length; i++) {
            assertThat(outliers[i]).as("value %s", values[i]).isEqualTo(values[i] > 2);
        }
        double[] gaussian = new double[64];
        for (int i = 0; i < gaussian.length; i++) {
            gaussian[i] = RANDOM.nextGaussian();
        }
        assertThat(WarmUpScreening.outliers(gaussian)).doesNotContain(true);
    }

    @Test
    void aYoungShapeDropsOutliersItLearntAndAMatureOneKeepsWhatItLearns() {
        SplittableRandom random = new SplittableRandom(17);
        DoubleSupplier uniform = () -> random.nextDouble() * 2 - 1; // normal values within ±1
        FeatureShape shape = new FeatureShape();
        // a warm-up seed with three outliers the screening missed, just past the edge, then normal values
        for (int i = 0; i < 61; i++) {
            shape.learn(uniform.getAsDouble(), false);
        }
        for (double outlier : new double[] {1.8, 2.0, 2.2}) {
            shape.learn(outlier, false);
        }
        for (int learnt = 64; learnt < 2 * FeatureShape.RESCREEN_EVERY; learnt++) {
            shape.learn(uniform.getAsDouble(), false);
        }
        assertThat(Arrays.stream(shape.state()).max().orElseThrow())
                .as("the young reference's largest value once screened again")
                .isLessThanOrEqualTo(1);
        assertThat(shape.score(1.8, 0)).isGreaterThan(CalibratedModel.LEARN_WITHIN);
        // once mature, what it learns stays (a feature whose volatility rises must keep the wider values it learns)
        for (int learnt = 2 * FeatureShape.RESCREEN_EVERY; learnt <= FeatureShape.RESCREEN_UNTIL; learnt++) {
            shape.learn(uniform.getAsDouble(), false);
        }
        for (double wide : new double[] {1.8, 2.0, 2.2}) {
            shape.learn(wide, false);
        }
        for (int i = 0; i < 2 * FeatureShape.RESCREEN_EVERY; i++) {
            shape.learn(uniform.getAsDouble(), false);
        }
        assertThat(shape.state()).contains(1.8, 2.0, 2.2);
    }

    @Test
    void aYoungShapeIsNotScreenedWhileVolatilityRises() {
        SplittableRandom random = new SplittableRandom(19);
        DoubleSupplier uniform = () -> random.nextDouble() * 2 - 1;
        FeatureShape shape = new FeatureShape();
        for (int i = 0; i < 2 * FeatureShape.RESCREEN_EVERY - 8; i++) {
            shape.learn(uniform.getAsDouble(), false);
        }
        // volatility rising: normal values lie wider than the shape learnt so far until the scale catches up
        for (double wide : new double[] {1.8, -1.9, 2.0, -2.1, 2.2, 1.9, -2.0, 2.1}) {
            shape.learn(wide, true);
        }
        assertThat(shape.state()).as("screening skipped during the rise").contains(1.8, 2.0, 2.2);
        for (int i = 0; i < FeatureShape.RESCREEN_EVERY; i++) {
            shape.learn(uniform.getAsDouble(), false);
        }
        assertThat(Arrays.stream(shape.state()).map(Math::abs).max().orElseThrow())
                .as("screened once the rise is over")
                .isLessThanOrEqualTo(1);
    }

    @Test
    void theWarmUpIsScreenedOnTheScaleOfItsLastTradeNotEachOnTheScaleOfItsArrival() {
        SplittableRandom random = new SplittableRandom(5);
        FeatureTransform transform = new FeatureTransform(2);
        List<double[]> collected = new ArrayList<>();
        List<double[]> seed = null;
        for (int t = 0; seed == null; t++) {
            // a calm start (prices within 0.05 %), then the ticker's real width (mean x U(0.8, 1.2)): no outlier at all
            double width = t < 16 ? 0.0005 : 0.2;
            double[] features = FeatureTransform.features(new double[] {
                100 * (1 + width * (2 * random.nextDouble() - 1)), 1 + random.nextInt(10_000)
            });
            boolean ready = transform.standardize(features) != null;
            transform.observe(features);
            if (ready) {
                collected.add(features);
                seed = transform.screen(features);
            }
        }
        // On the scales of their arrival, the first wide prices were dozens of the calm start's scales out and the
        // screening threw them away as outliers; on one scale they are what they are, the ticker's normal prices.
        assertThat(seed).hasSizeGreaterThanOrEqualTo(FeatureTransform.SCREENED - 4);
        List<double[]> onTheLastScale =
                collected.stream().map(transform::standardize).toList();
        for (double[] u : seed) {
            assertThat(onTheLastScale).anySatisfy(expected -> assertThat(u).containsExactly(expected));
        }
    }

    @Test
    void normalTailsAndTheirInverseAreAccurateFarOut() {
        assertThat(NormalScores.upperQuantile(Math.log(0.5))).isCloseTo(0, within(1e-9));
        assertThat(NormalScores.upperQuantile(Math.log(0.3))).isCloseTo(0.5244, within(1e-4));
        assertThat(NormalScores.upperQuantile(Math.log(1e-6))).isCloseTo(4.7534, within(1e-4));
        assertThat(NormalScores.upperQuantile(Math.log(1e-100))).isCloseTo(21.2735, within(1e-3));
        for (double z : new double[] {0.5, 2, 4.75, 8, 30}) {
            assertThat(NormalScores.upperQuantile(NormalScores.logUpperTail(z))).isCloseTo(z, within(1e-4 * z));
        }
    }

    @Test
    void rollingWindowKeepsTheLastValuesSortedAndRestoresThem() {
        RollingWindow window = new RollingWindow(5);
        for (double v : new double[] {5, 1, 4, 2, 3, 10, 0}) {
            window.add(v);
        }
        assertThat(window.values()).containsExactly(4, 2, 3, 10, 0);
        assertThat(window.median()).isEqualTo(3);
        assertThat(window.quantile(1)).isEqualTo(10);
        assertThat(window.mad()).isEqualTo(1);
        assertThat(window.rank(3)).isEqualTo(0.5);
        RollingWindow copy = new RollingWindow(5);
        copy.restore(window.values());
        assertThat(copy.values()).containsExactly(window.values());
        assertThat(copy.median()).isEqualTo(window.median());
    }
}
