package io.tradeanomaly.detector.quality.series;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class PointwiseScorerTest {

    private static LabelledSeries series(boolean[] labels, int scoredFrom, double[] values) {
        int n = labels.length;
        double[][] v = new double[n][1];
        long[] times = new long[n];
        for (int t = 0; t < n; t++) {
            v[t][0] = values == null ? 1 : values[t];
            times[t] = t * 1000L;
        }
        return new LabelledSeries("k", "test", new String[] {"value"}, times, v, labels, scoredFrom, List.of());
    }

    @Test
    void countsVerdictsAfterTheWarmUpAndLeavesMissingValuesOut() {
        boolean[] labels = {true, false, false, true, true, false, false, false};
        boolean[] verdicts = {true, true, false, true, false, true, false, false};
        double[] values = {1, 1, 1, 1, 1, 1, Double.NaN, 1};
        // scored from 1: tp 1 (t=3), fn 1 (t=4), fp 2 (t=1, 5), tn 2 (t=2, 7); t=6 missing
        PointwiseScorer.Result r =
                PointwiseScorer.score(List.of(series(labels, 1, values)), List.of(new double[8]), List.of(verdicts));
        assertThat(r.precision()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(r.recall()).isCloseTo(0.5, within(1e-12));
        assertThat(r.f1()).isCloseTo(2.0 / (2 + 2 + 1), within(1e-12));
        assertThat(r.falseAlarmRate()).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void theBestCutIsOneThresholdOverEveryKey() {
        boolean[] a = {false, true, false, false};
        boolean[] b = {false, false, true, false};
        double[] scoresA = {0.1, 0.9, 0.2, 0.5};
        double[] scoresB = {0.3, 0.4, 0.8, 0.1};
        PointwiseScorer.Result r = PointwiseScorer.score(
                List.of(series(a, 0, null), series(b, 0, null)),
                List.of(scoresA, scoresB),
                List.of(new boolean[4], new boolean[4]));
        assertThat(r.bestCutF1()).isEqualTo(1.0);
        assertThat(r.threshold()).isEqualTo(0.8);
        assertThat(r.f1()).isZero();
    }
}
