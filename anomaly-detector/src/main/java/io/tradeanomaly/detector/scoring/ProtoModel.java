package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;

/** PROTOTYPE (experiment only). */
final class ProtoModel {

    static int LEVEL_WINDOW = Integer.getInteger("proto.levelWindow", 21);
    static int SCALE_WINDOW = Integer.getInteger("proto.scaleWindow", 31);
    static double K = Double.parseDouble(System.getProperty("proto.k", "3"));
    static double TAIL_P = Double.parseDouble(System.getProperty("proto.tailP", "1e-5"));
    static double TAIL_Q = Double.parseDouble(System.getProperty("proto.tailQ", "0.9"));
    static int TAIL_N = Integer.getInteger("proto.tailN", 512);
    static double PROVISIONAL = Double.parseDouble(System.getProperty("proto.provisional", "4"));

    static final class Scale {
        final RollingWindow values = new RollingWindow(LEVEL_WINDOW);
        final RollingWindow residuals = new RollingWindow(SCALE_WINDOW);

        boolean ready() {
            return values.size() >= 8;
        }

        double residual(double x) {
            return x - values.median();
        }

        double scale() {
            double mad = 1.4826 * residuals.mad(residuals.median());
            return Math.max(Math.max(mad, values.resolution()), 1e-9);
        }

        void observe(double x) {
            if (values.size() > 0) {
                residuals.add(residual(x));
            }
            values.add(x);
        }
    }

    final RandomCutForest forest;
    final Scale price = new Scale();
    final Scale quantity = new Scale();
    final RollingWindow normalScores = new RollingWindow(TAIL_N);
    double cutoff = PROVISIONAL;
    int sinceCutoff;
    long seen;

    ProtoModel(ScoringSettings settings, long seed) {
        forest = RandomCutForest.builder()
                .dimensions(2)
                .shingleSize(1)
                .numberOfTrees(settings.numberOfTrees())
                .sampleSize(settings.sampleSize())
                .timeDecay(1.0 / settings.timeDecayWindow())
                .outputAfter(32)
                .randomSeed(seed)
                .parallelExecutionEnabled(false)
                .boundingBoxCacheFraction(settings.boundingBoxCacheFraction())
                .build();
    }

    static double soft(double u) {
        double a = Math.abs(u);
        return a <= K ? u : Math.signum(u) * K * (1 + Math.log(a / K));
    }

    Verdict scoreAndUpdate(double p, double q, ScoringSettings settings) {
        seen++;
        double lp = Math.log(p);
        double lq = Math.log(q);
        if (!price.ready() || price.residuals.size() < 8) {
            price.observe(lp);
            quantity.observe(lq);
            return Verdict.warmUp();
        }
        double up = price.residual(lp) / price.scale();
        double uq = quantity.residual(lq) / quantity.scale();
        double[] point = {soft(up), soft(uq)};
        price.observe(lp);
        quantity.observe(lq);
        if (!forest.isOutputReady()) {
            forest.update(point);
            return Verdict.warmUp();
        }
        double score = forest.getAnomalyScore(point);
        boolean normal = score <= cutoff;
        if (normal) {
            normalScores.add(score);
            forest.update(point);
            if (++sinceCutoff >= 16 && normalScores.size() >= 64) {
                sinceCutoff = 0;
                double t = normalScores.quantile(TAIL_Q);
                double beta = normalScores.meanExcess(t);
                cutoff = t + beta * Math.log((1 - TAIL_Q) / TAIL_P);
            }
        }
        if (seen <= settings.outputAfter()) {
            return Verdict.warmUp();
        }
        double threshold = Math.max(settings.threshold(), cutoff);
        if (score <= threshold) {
            return new Verdict(score, false, false, threshold, null);
        }
        DiVector attribution = forest.getAnomalyAttribution(point);
        return new Verdict(score, true, false, threshold, AnomalyModel.explain(attribution));
    }
}
