package io.tradeanomaly.detector.quality.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class WindowedScorerTest {

    private static final int N = 2000; // probation 300, one label: window of 200 points

    private static boolean[] label(int... onsets) {
        boolean[] labels = new boolean[N];
        for (int t : onsets) {
            labels[t] = true;
        }
        return labels;
    }

    private static boolean[] detect(int... points) {
        boolean[] d = new boolean[N];
        for (int t : points) {
            d[t] = true;
        }
        return d;
    }

    private static double standard(boolean[] labels, boolean[] detections) {
        double[] scores = new double[N];
        for (int t = 0; t < N; t++) {
            scores[t] = detections[t] ? 1 : 0;
        }
        return WindowedScorer.score(List.of(labels), List.of(scores), List.of(detections), WindowedScorer.STANDARD)
                .verdicts();
    }

    @Test
    void windowsAreTenPercentOfTheSeriesSplitOverItsLabelsAndCentred() {
        assertThat(WindowedScorer.windows(label(1000))).containsExactly(new WindowedScorer.Window(900, 1100));
        assertThat(WindowedScorer.windows(label(600, 1400)))
                .containsExactly(new WindowedScorer.Window(550, 650), new WindowedScorer.Window(1350, 1450));
        // overlapping windows merge
        assertThat(WindowedScorer.windows(label(1000, 1060))).containsExactly(new WindowedScorer.Window(950, 1110));
    }

    @Test
    void theProbationIsFifteenPercentAndAtMostSevenHundredFiftyPoints() {
        assertThat(WindowedScorer.probation(2000)).isEqualTo(300);
        assertThat(WindowedScorer.probation(10_000)).isEqualTo(750);
    }

    @Test
    void theScaledSigmoidHasThePublishedValues() {
        assertThat(WindowedScorer.scaledSigmoid(-1)).isCloseTo(0.98661, within(1e-5));
        assertThat(WindowedScorer.scaledSigmoid(-0.5)).isCloseTo(0.84828, within(1e-5));
        assertThat(WindowedScorer.scaledSigmoid(0)).isZero();
        assertThat(WindowedScorer.scaledSigmoid(1)).isCloseTo(-0.98661, within(1e-5));
        assertThat(WindowedScorer.scaledSigmoid(3.5)).isEqualTo(-1);
    }

    @Test
    void nothingScoresZeroAndTheFirstPointOfEveryWindowAHundred() {
        assertThat(standard(label(1000), detect())).isZero();
        assertThat(standard(label(1000), detect(900))).isCloseTo(100, within(1e-9));
        // later detections in the same window change nothing
        assertThat(standard(label(1000), detect(900, 950, 1100))).isCloseTo(100, within(1e-9));
    }

    @Test
    void anEarlierDetectionScoresHigher() {
        double early = standard(label(1000), detect(920));
        double middle = standard(label(1000), detect(1000));
        double late = standard(label(1000), detect(1100));
        assertThat(early).isGreaterThan(middle);
        assertThat(middle).isGreaterThan(late);
        // the last point of the window earns almost no reward but avoids the miss: about half way
        assertThat(late).isCloseTo(50, within(1.0));
        // the middle: y = -101/201, (1 + S(y) / S(-1)) / 2
        double s = WindowedScorer.scaledSigmoid(-101 / 201.0) / WindowedScorer.scaledSigmoid(-1);
        assertThat(middle).isCloseTo(100 * (1 + s) / 2, within(1e-9));
    }

    @Test
    void falsePositivesCostTheirWeightLessJustAfterAWindow() {
        // before any window: the whole FP weight, 0.11 of the 2 between nothing and perfect
        assertThat(standard(label(1000), detect(500, 900))).isCloseTo(100 * (2 - 0.11) / 2, within(1e-9));
        // just after the window: almost free; far after it: the whole weight
        double justAfter = standard(label(1000), detect(900, 1102));
        double farAfter = standard(label(1000), detect(900, 1900));
        assertThat(justAfter).isGreaterThan(99.8); // 2 points after a 201-point window: 0.11 x 0.025
        assertThat(farAfter).isCloseTo(100 * (2 - 0.11) / 2, within(1e-6));
    }

    @Test
    void theProbationIsNotScored() {
        assertThat(standard(label(1000), detect(100, 900))).isCloseTo(100, within(1e-9));
    }

    @Test
    void theBestCutPicksTheThresholdThatScoresHighest() {
        double[] scores = new double[N];
        scores[910] = 5; // early in the window
        scores[500] = 3; // a false positive
        scores[1000] = 2; // later in the window
        boolean[] none = new boolean[N];
        WindowedScorer.Result r =
                WindowedScorer.score(List.of(label(1000)), List.of(scores), List.of(none), WindowedScorer.STANDARD);
        assertThat(r.threshold()).isEqualTo(5);
        assertThat(r.bestCut()).isEqualTo(standard(label(1000), detect(910)));
        assertThat(r.verdicts()).isZero();
    }

    @Test
    void theLowFalsePositiveAndLowMissProfilesWeighThemMore() {
        double[] scores = new double[N];
        boolean[] d = detect(500, 900);
        WindowedScorer.Result lowFp =
                WindowedScorer.score(List.of(label(1000)), List.of(scores), List.of(d), WindowedScorer.LOW_FP);
        assertThat(lowFp.verdicts()).isCloseTo(100 * (2 - 0.22) / 2, within(1e-9));
        WindowedScorer.Result lowFn =
                WindowedScorer.score(List.of(label(1000)), List.of(scores), List.of(d), WindowedScorer.LOW_FN);
        assertThat(lowFn.verdicts()).isCloseTo(100 * (3 - 0.11) / 3, within(1e-9));
    }
}
