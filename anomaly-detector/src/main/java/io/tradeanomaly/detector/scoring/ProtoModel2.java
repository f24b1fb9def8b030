package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import java.util.ArrayList;
import java.util.List;

/** PROTOTYPE (experiment only): calibrated features, RCF, cut-off probed at z*. */
final class ProtoModel2 {

    static double Z = Double.parseDouble(System.getProperty("proto.z", "4.75"));
    static int BOOT = Integer.getInteger("proto.boot", 64);
    static double Z_LEARN = Double.parseDouble(System.getProperty("proto.zLearn", "4"));

    final RandomCutForest forest;
    final Calibration price = new Calibration();
    final Calibration quantity = new Calibration();
    final List<double[]> boot = new ArrayList<>();
    boolean booted;
    double cutoff = Double.NaN;
    int sinceCutoff;
    long seen;

    ProtoModel2(ScoringSettings settings, long seed) {
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

    double[] point(double up, double uq) {
        return new double[] {price.score(up), quantity.score(uq)};
    }

    void learn(double up, double uq, double[] point) {
        price.learn(up);
        quantity.learn(uq);
        forest.update(point);
        if (++sinceCutoff >= 64 || Double.isNaN(cutoff)) {
            sinceCutoff = 0;
            if (forest.isOutputReady()) {
                double sum = 0;
                for (double[] probe : new double[][] {{Z, 0}, {-Z, 0}, {0, Z}, {0, -Z}}) {
                    sum += forest.getAnomalyScore(probe);
                }
                cutoff = sum / 4;
            }
        }
    }

    Verdict scoreAndUpdate(double p, double q, ScoringSettings settings) {
        seen++;
        double lp = Math.log(p);
        double lq = Math.log(q);
        if (!price.locationReady()) {
            price.observe(lp);
            quantity.observe(lq);
            return Verdict.warmUp();
        }
        double up = price.standardize(lp);
        double uq = quantity.standardize(lq);
        price.observe(lp);
        quantity.observe(lq);
        if (!booted) {
            boot.add(new double[] {up, uq});
            if (boot.size() == BOOT) {
                bootstrap();
            }
            return Verdict.warmUp();
        }
        double[] point = point(up, uq);
        double score = forest.getAnomalyScore(point);
        boolean normal = score <= cutoff && Math.abs(point[0]) <= Z_LEARN && Math.abs(point[1]) <= Z_LEARN;
        if (normal || settings.learnFromAnomalies()) {
            learn(up, uq, point);
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

    private void bootstrap() {
        booted = true;
        double[] ps = boot.stream().mapToDouble(b -> b[0]).toArray();
        double[] qs = boot.stream().mapToDouble(b -> b[1]).toArray();
        boolean[] po = Screening.outliers(ps);
        boolean[] qo = Screening.outliers(qs);
        List<double[]> clean = new ArrayList<>();
        if (Boolean.getBoolean("proto.debugBoot")) {
            for (int i = 0; i < boot.size(); i++) {
                System.out.printf(
                        "boot %2d u=(%7.2f,%7.2f) %s %s%n",
                        i, ps[i], qs[i], po[i] ? "P-OUT" : "", qo[i] ? "Q-OUT" : "");
            }
        }
        for (int i = 0; i < boot.size(); i++) {
            if (!po[i] && !qo[i]) {
                clean.add(boot.get(i));
                price.reference.add(ps[i]);
                quantity.reference.add(qs[i]);
            }
        }
        price.fit();
        quantity.fit();
        for (double[] b : clean) {
            forest.update(point(b[0], b[1]));
        }
        boot.clear();
        sinceCutoff = 64;
        learnCutoff();
    }

    private void learnCutoff() {
        double sum = 0;
        for (double[] probe : new double[][] {{Z, 0}, {-Z, 0}, {0, Z}, {0, -Z}}) {
            sum += forest.getAnomalyScore(probe);
        }
        cutoff = forest.isOutputReady() ? sum / 4 : 3.0;
    }
}
