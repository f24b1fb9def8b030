package io.tradeanomaly.detector.quality.series;

import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.scoring.KeyModel;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.Verdict;

/**
 * The calibrated method (the default for every stream before the surprise method) through the trade schema, as a
 * user of any stream had to use it: features in pairs as
 * (price, quantity), one model per pair, the highest score and any verdict. The trade schema takes only positive
 * values (it models their logarithms) and whole quantities, so each feature is shifted by the series' own range (known
 * here in advance, which a live user could not do: a generous baseline) into [range, 2 range], and a quantity is
 * read in thousandths of that range; a lone last feature is paired with a constant quantity.
 */
final class CalibratedAsTrades implements SeriesMethod {

    private static final ScoringSettings SETTINGS = TestSettings.perTicker();

    private final KeyModel[] models;
    private final double[] min;
    private final double[] range;
    private final String key;

    CalibratedAsTrades(LabelledSeries series, long seed) {
        int d = series.dimensions();
        this.key = series.key();
        this.models = new KeyModel[(d + 1) / 2];
        for (int i = 0; i < models.length; i++) {
            models[i] = SETTINGS.detectionMethod().newModel(seed + i);
        }
        this.min = new double[d];
        this.range = new double[d];
        for (int i = 0; i < d; i++) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double[] v : series.values()) {
                if (!Double.isNaN(v[i])) {
                    lo = Math.min(lo, v[i]);
                    hi = Math.max(hi, v[i]);
                }
            }
            min[i] = lo;
            range[i] = hi > lo ? hi - lo : 1;
        }
    }

    @Override
    public Scored score(double[] features, long epochMillis) {
        double score = 0;
        boolean anomaly = false;
        for (int m = 0; m < models.length; m++) {
            int p = 2 * m;
            double price = features[p] - min[p] + range[p];
            double quantity = p + 1 < features.length
                    ? Math.round(1000 * (features[p + 1] - min[p + 1] + range[p + 1]) / range[p + 1])
                    : 100;
            Verdict verdict = models[m].score(new double[] {price, quantity}, epochMillis, SETTINGS.threshold());
            score = Math.max(score, verdict.score());
            anomaly |= verdict.anomaly();
        }
        return new Scored(score, anomaly, null);
    }
}
