package io.tradeanomaly.detector.quality.series;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a method wins and loses on a windowed corpus at one threshold (its best cut under the standard profile): per
 * base shape the false positives and their cost, and per anomaly kind the windows detected and how early. A
 * diagnostic for the experiments.
 */
final class WindowedDetail {

    private WindowedDetail() {}

    static String of(SeriesHarness.Run run) {
        List<LabelledSeries> series = run.corpus().series();
        List<boolean[]> labels = series.stream().map(LabelledSeries::labels).toList();
        WindowedScorer.Result best =
                WindowedScorer.score(labels, run.scores(), run.verdicts(), WindowedScorer.STANDARD);
        double cut = best.threshold();
        Map<String, double[]> byShape = new TreeMap<>(); // series, fp count, fp cost
        Map<String, double[]> byKind = new TreeMap<>(); // windows, detected, sum of reward
        for (int s = 0; s < series.size(); s++) {
            LabelledSeries x = series.get(s);
            double[] sc = run.scores().get(s);
            WindowedScorer.Points p = new WindowedScorer.Points(x.length(), x.labels(), WindowedScorer.STANDARD, 0);
            String shape = x.shape().split("@")[0];
            double[] sh = byShape.computeIfAbsent(shape, k -> new double[3]);
            sh[0]++;
            double[] reward = new double[p.windows];
            java.util.Arrays.fill(reward, Double.NaN);
            for (int t = p.from; t < x.length(); t++) {
                if (sc[t] < cut) {
                    continue;
                }
                if (p.window[t] < 0) {
                    sh[1]++;
                    sh[2] += p.weight[t];
                } else if (Double.isNaN(reward[p.window[t]])) {
                    reward[p.window[t]] = p.weight[t];
                }
            }
            List<WindowedScorer.Window> windows = WindowedScorer.windows(x.labels());
            for (int w = 0; w < windows.size(); w++) {
                WindowedScorer.Window window = windows.get(w);
                String kind = x.anomalies().stream()
                        .filter(a -> a.start() >= window.first() && a.start() <= window.last())
                        .map(LabelledSeries.Anomaly::kind)
                        .findFirst()
                        .orElse("?");
                double[] k = byKind.computeIfAbsent(kind, key -> new double[3]);
                k[0]++;
                if (!Double.isNaN(reward[w])) {
                    k[1]++;
                    k[2] += reward[w];
                }
            }
        }
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "  %s at cut %.4g:%n", run.method(), cut));
        byShape.forEach((k, v) -> out.append(
                String.format(Locale.ROOT, "    %-14s series %2.0f  FP %5.0f  cost %6.2f%n", k, v[0], v[1], v[2])));
        byKind.forEach((k, v) -> out.append(String.format(
                Locale.ROOT, "    %-14s windows %3.0f  detected %3.0f  reward %5.2f%n", k, v[0], v[1], v[2])));
        return out.toString();
    }
}
