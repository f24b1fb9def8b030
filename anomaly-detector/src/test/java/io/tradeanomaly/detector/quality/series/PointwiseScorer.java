package io.tradeanomaly.detector.quality.series;

import java.util.Arrays;
import java.util.List;

/**
 * Point-wise scoring over all series of a corpus together, from each series' {@code scoredFrom} on (the warm-up of a
 * sensor run, the normal history of a server), leaving out points with a missing value (they are dead-lettered, not
 * scored): the verdicts' precision, recall, F1 and false-alarm rate FP / (FP + TN); and the best-cut F1, one
 * threshold on the scores of every key together, the one with the highest F1.
 */
public final class PointwiseScorer {

    /**
     * @param f1 the verdicts' F1
     * @param precision the verdicts' precision
     * @param recall the verdicts' recall
     * @param falseAlarmRate the verdicts' FP / (FP + TN)
     * @param bestCutF1 the highest F1 of any one threshold on the scores
     * @param threshold that threshold
     */
    public record Result(
            double f1, double precision, double recall, double falseAlarmRate, double bestCutF1, double threshold) {}

    private PointwiseScorer() {}

    public static Result score(List<LabelledSeries> series, List<double[]> scores, List<boolean[]> verdicts) {
        long tp = 0;
        long fp = 0;
        long fn = 0;
        long tn = 0;
        int total = 0;
        for (int s = 0; s < series.size(); s++) {
            LabelledSeries x = series.get(s);
            for (int t = x.scoredFrom(); t < x.length(); t++) {
                if (x.missing(t)) {
                    continue;
                }
                total++;
                boolean label = x.labels()[t];
                boolean flagged = verdicts.get(s)[t];
                if (label) {
                    if (flagged) {
                        tp++;
                    } else {
                        fn++;
                    }
                } else if (flagged) {
                    fp++;
                } else {
                    tn++;
                }
            }
        }
        double[] score = new double[total];
        boolean[] label = new boolean[total];
        int k = 0;
        for (int s = 0; s < series.size(); s++) {
            LabelledSeries x = series.get(s);
            for (int t = x.scoredFrom(); t < x.length(); t++) {
                if (!x.missing(t)) {
                    score[k] = scores.get(s)[t];
                    label[k] = x.labels()[t];
                    k++;
                }
            }
        }
        double[] best = bestCutF1(score, label);
        return new Result(
                f1(tp, fp, fn),
                tp + fp == 0 ? 0 : tp / (double) (tp + fp),
                tp + fn == 0 ? 0 : tp / (double) (tp + fn),
                fp + tn == 0 ? 0 : fp / (double) (fp + tn),
                best[0],
                best[1]);
    }

    static double f1(long tp, long fp, long fn) {
        return tp == 0 ? 0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /** {best F1, threshold}: a point is flagged when its score is at least the threshold. */
    static double[] bestCutF1(double[] score, boolean[] label) {
        int n = score.length;
        Integer[] order = new Integer[n];
        long positives = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            positives += label[i] ? 1 : 0;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        long tp = 0;
        long fp = 0;
        double best = 0;
        double threshold = Double.POSITIVE_INFINITY;
        for (int i = 0; i < n; ) {
            double cut = score[order[i]];
            while (i < n && score[order[i]] == cut) {
                if (label[order[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            double f1 = f1(tp, fp, positives - tp);
            if (f1 > best) {
                best = f1;
                threshold = cut;
            }
        }
        return new double[] {best, threshold};
    }
}
