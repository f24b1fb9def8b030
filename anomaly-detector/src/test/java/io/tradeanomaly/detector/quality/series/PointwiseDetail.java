package io.tradeanomaly.detector.quality.series;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** Per shape, the point counts at a point-wise corpus's best cut: a diagnostic for the experiments. */
final class PointwiseDetail {

    private PointwiseDetail() {}

    static String of(SeriesHarness.Run run) {
        List<LabelledSeries> series = run.corpus().series();
        PointwiseScorer.Result r = PointwiseScorer.score(series, run.scores(), run.verdicts());
        Map<String, long[]> byShape = new TreeMap<>();
        Map<String, long[]> byKind = new TreeMap<>();
        for (int s = 0; s < series.size(); s++) {
            LabelledSeries x = series.get(s);
            double[] sc = run.scores().get(s);
            long[] c = byShape.computeIfAbsent(x.shape(), k -> new long[3]);
            for (int t = x.scoredFrom(); t < x.length(); t++) {
                if (x.missing(t)) {
                    continue;
                }
                boolean flagged = sc[t] >= r.threshold();
                if (x.labels()[t]) {
                    c[flagged ? 0 : 2]++;
                } else if (flagged) {
                    c[1]++;
                }
            }
            for (LabelledSeries.Anomaly a : x.anomalies()) {
                long[] k = byKind.computeIfAbsent(a.kind(), key -> new long[2]);
                for (int t = Math.max(a.start(), x.scoredFrom()); t < a.end(); t++) {
                    if (!x.missing(t)) {
                        k[sc[t] >= r.threshold() ? 0 : 1]++;
                    }
                }
            }
        }
        StringBuilder out =
                new StringBuilder(String.format(Locale.ROOT, "  %s at cut %.4g:%n", run.method(), r.threshold()));
        byShape.forEach((k, v) ->
                out.append(String.format(Locale.ROOT, "    %-22s TP %6d  FP %6d  FN %6d%n", k, v[0], v[1], v[2])));
        byKind.forEach(
                (k, v) -> out.append(String.format(Locale.ROOT, "    %-22s flagged %6d  missed %6d%n", k, v[0], v[1])));
        return out.toString();
    }
}
