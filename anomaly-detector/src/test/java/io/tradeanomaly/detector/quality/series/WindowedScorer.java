package io.tradeanomaly.detector.quality.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The windowed scoring of the single-value real-world benchmark, written from its published description.
 *
 * <ul>
 *   <li>Each labelled onset gets an anomaly window centred on it; the windows of a series together are 10 % of its
 *       length (each {@code floor(0.1 n / k)} points for k labels), overlapping windows are merged.
 *   <li>The first 15 % of each series (at most 750 points) is probationary: not scored at all.
 *   <li>Only the first detection in a window counts, rewarded by the scaled sigmoid of its position {@code 2 / (1 +
 *       e^{5y}) - 1}, with y = -1 at the window's first point and about 0 at its last, divided by its value at y = -1
 *       (so the earliest detection earns the whole TP weight). Later detections in the same window earn nothing more.
 *   <li>A detection outside every window is a false positive, weighted by the FP weight times the same sigmoid of its
 *       distance after the end of the preceding window in window lengths (y &gt; 0: a detection just after a window
 *       costs almost nothing, one far after it the whole weight), or the whole weight when no window precedes it.
 *   <li>A window without a detection costs the FN weight.
 *   <li>Normalised per profile so that flagging nothing scores 0 and detecting every window at its first point with
 *       no false positive scores 100.
 * </ul>
 *
 * Score at the method's own verdicts; and the <em>best cut</em>: one threshold on the scores of all series, the one
 * that scores highest (a record is a detection when its score is at least the threshold).
 */
public final class WindowedScorer {

    /** A cost profile. */
    public record Profile(String name, double tp, double fp, double fn) {}

    public static final Profile STANDARD = new Profile("standard", 1, 0.11, 1);
    public static final Profile LOW_FP = new Profile("low-FP", 1, 0.22, 1);
    public static final Profile LOW_FN = new Profile("low-FN", 1, 0.11, 2);
    public static final List<Profile> PROFILES = List.of(STANDARD, LOW_FP, LOW_FN);

    /** A window, first and last point inclusive. */
    record Window(int first, int last) {}

    /** The result for one profile: the normalised score at the verdicts and at the best cut, and that cut. */
    public record Result(Profile profile, double verdicts, double bestCut, double threshold) {}

    private WindowedScorer() {}

    static int probation(int n) {
        return (int) Math.min(Math.floor(0.15 * n), 0.15 * 5000);
    }

    /** The anomaly windows of a series with the given onset labels. */
    static List<Window> windows(boolean[] labels) {
        int n = labels.length;
        int count = 0;
        for (boolean l : labels) {
            count += l ? 1 : 0;
        }
        List<Window> windows = new ArrayList<>();
        if (count == 0) {
            return windows;
        }
        int length = (int) (0.1 * n / count);
        for (int t = 0; t < n; t++) {
            if (!labels[t]) {
                continue;
            }
            int first = Math.max(0, t - length / 2);
            int last = Math.min(n - 1, t + length / 2);
            if (!windows.isEmpty() && windows.get(windows.size() - 1).last() >= first) {
                Window previous = windows.remove(windows.size() - 1);
                windows.add(new Window(previous.first(), Math.max(previous.last(), last)));
            } else {
                windows.add(new Window(first, last));
            }
        }
        return windows;
    }

    static double scaledSigmoid(double y) {
        return y > 3 ? -1 : 2 / (1 + Math.exp(5 * y)) - 1;
    }

    /**
     * Each scored point of one series: its weight if it were a detection (positive in a window, negative outside)
     * and the window it is in (-1 outside, else an index unique over the corpus, from {@code windowBase}).
     */
    static final class Points {
        final double[] weight;
        final int[] window;
        final int from;
        final int windows;

        Points(int n, boolean[] labels, Profile profile, int windowBase) {
            List<Window> list = windows(labels);
            this.windows = list.size();
            this.from = probation(n);
            this.weight = new double[n];
            this.window = new int[n];
            Arrays.fill(window, -1);
            double maxTp = scaledSigmoid(-1);
            int previousLast = -1;
            int previousWidth = 0;
            int w = 0;
            for (int t = 0; t < n; t++) {
                Window current = w < list.size() && t >= list.get(w).first() ? list.get(w) : null;
                if (current != null) {
                    int width = current.last() - current.first() + 1;
                    double y = -(current.last() - t + 1) / (double) width;
                    weight[t] = scaledSigmoid(y) * profile.tp() / maxTp;
                    window[t] = windowBase + w;
                    if (t == current.last()) {
                        previousLast = t;
                        previousWidth = width;
                        w++;
                    }
                } else if (previousLast < 0) {
                    weight[t] = -profile.fp();
                } else {
                    double y = Math.abs(previousLast - t) / (double) Math.max(1, previousWidth - 1);
                    weight[t] = scaledSigmoid(y) * profile.fp();
                }
            }
        }
    }

    /**
     * Scores a corpus for one profile.
     *
     * @param labels the onset labels of each series
     * @param scores each series' scores (higher = more anomalous)
     * @param verdicts each series' verdicts
     */
    public static Result score(
            List<boolean[]> labels, List<double[]> scores, List<boolean[]> verdicts, Profile profile) {
        List<Points> points = new ArrayList<>();
        int windowCount = 0;
        for (boolean[] l : labels) {
            Points p = new Points(l.length, l, profile, windowCount);
            // a window that lies wholly in the probation is never scored, as in the benchmark's own code
            points.add(p);
            windowCount += p.windows;
        }
        int scoredWindows = countScoredWindows(points);
        double none = -profile.fn() * scoredWindows;
        double perfect = profile.tp() * scoredWindows;
        double atVerdicts = raw(points, verdicts, profile, windowCount, scoredWindows);
        double[] best = bestCut(points, scores, profile, windowCount, scoredWindows);
        return new Result(profile, normalise(atVerdicts, none, perfect), normalise(best[0], none, perfect), best[1]);
    }

    private static int countScoredWindows(List<Points> points) {
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Points p : points) {
            for (int t = p.from; t < p.window.length; t++) {
                if (p.window[t] >= 0) {
                    seen.add(p.window[t]);
                }
            }
        }
        return seen.size();
    }

    private static double normalise(double raw, double none, double perfect) {
        return perfect == none ? 0 : 100 * (raw - none) / (perfect - none);
    }

    /** The raw score of a set of detections. */
    private static double raw(
            List<Points> points, List<boolean[]> detections, Profile profile, int windows, int scored) {
        double[] best = new double[windows];
        Arrays.fill(best, Double.NaN);
        double fp = 0;
        for (int s = 0; s < points.size(); s++) {
            Points p = points.get(s);
            boolean[] d = detections.get(s);
            for (int t = p.from; t < d.length; t++) {
                if (p.window[t] >= 0 && Double.isNaN(best[p.window[t]])) {
                    best[p.window[t]] = -profile.fn(); // a scored window
                }
                if (!d[t]) {
                    continue;
                }
                if (p.window[t] >= 0) {
                    best[p.window[t]] = Math.max(best[p.window[t]], p.weight[t]);
                } else {
                    fp += p.weight[t];
                }
            }
        }
        double total = fp;
        for (double b : best) {
            total += Double.isNaN(b) ? 0 : b;
        }
        return total;
    }

    /** {best raw score, its threshold} over every cut of the scores of all series. */
    private static double[] bestCut(
            List<Points> points, List<double[]> scores, Profile profile, int windows, int scored) {
        int total = 0;
        for (int s = 0; s < points.size(); s++) {
            total += scores.get(s).length - points.get(s).from;
        }
        double[] score = new double[total];
        double[] weight = new double[total];
        int[] window = new int[total];
        int k = 0;
        for (int s = 0; s < points.size(); s++) {
            Points p = points.get(s);
            double[] sc = scores.get(s);
            for (int t = p.from; t < sc.length; t++) {
                score[k] = sc[t];
                weight[k] = p.weight[t];
                window[k] = p.window[t];
                k++;
            }
        }
        Integer[] order = new Integer[total];
        for (int i = 0; i < total; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        double[] best = new double[windows];
        Arrays.fill(best, -profile.fn());
        double windowSum = -profile.fn() * windows;
        double fp = 0;
        double bestTotal = -profile.fn() * scored;
        double bestThreshold = Double.POSITIVE_INFINITY;
        // windows lying wholly in the probation never change: they are not in the total
        double unscored = -profile.fn() * (windows - scored);
        for (int i = 0; i < total; ) {
            double threshold = score[order[i]];
            while (i < total && score[order[i]] == threshold) {
                int j = order[i];
                if (window[j] >= 0) {
                    if (weight[j] > best[window[j]]) {
                        windowSum += weight[j] - best[window[j]];
                        best[window[j]] = weight[j];
                    }
                } else {
                    fp += weight[j];
                }
                i++;
            }
            double current = windowSum - unscored + fp;
            if (current > bestTotal) {
                bestTotal = current;
                bestThreshold = threshold;
            }
        }
        return new double[] {bestTotal, bestThreshold};
    }
}
