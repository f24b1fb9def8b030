package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import io.tradeanomaly.common.record.FeatureExplanation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One key's model of the calibrated method ({@link CalibratedMethod}): score first, then learn, like KDA. The forest
 * sees the key's calibrated scores ({@link FeatureTransform}); a record is out of line when the forest scores it above
 * what it gives a record {@code sigmas} calibrated deviations out in one feature (the <em>cut-off</em>, read from the
 * forest itself), and only records that are clearly normal are learnt. Not thread-safe (RCF updates are not): a model
 * belongs to one shard processor and is used by one thread at a time.
 */
final class CalibratedModel implements KeyModel {
    /** A trade is learnt only when each of its calibrated scores is within this many deviations (and the forest agrees). */
    static final double LEARN_WITHIN = 3.5;
    /**
     * The same while the shapes are young (fewer than {@value FeatureShape#REFERENCE} values): their tails are then
     * fitted beyond a lower quantile ({@value FeatureShape#TAIL_VALUES} values out of fewer) and reach furthest, so
     * the same calibrated score lies further out; on a bounded shape (uniform prices) that let outliers just beyond
     * the edge in while the reference grew, and they widened the tails that let in the next ones.
     */
    static final double YOUNG_LEARN_WITHIN = 3.25;
    /** Learnt trades between two readings of the cut-off from the forest. */
    static final int CUTOFF_EVERY = 64;

    private final RandomCutForest forest;
    private final FeatureTransform transform;
    private final ScoringSettings settings;
    private final List<String> features;
    private final int dimensions;
    private long seen;
    private double cutoff = Double.NaN;
    private double centerScore;
    private int sinceCutoff;

    CalibratedModel(ScoringSettings settings, long seed) {
        this(newForest(settings, seed), new FeatureTransform(settings.dimensions()), settings);
    }

    private CalibratedModel(RandomCutForest forest, FeatureTransform transform, ScoringSettings settings) {
        this.forest = forest;
        this.transform = transform;
        this.settings = settings;
        this.features = settings.features();
        this.dimensions = features.size();
    }

    static RandomCutForest newForest(ScoringSettings settings, long seed) {
        // The forest scores from its 32nd clean point on, so that outliers are kept out of the sample during warm-up
        // too; verdicts still wait for outputAfter records.
        int forestOutputAfter = Math.min(32, settings.outputAfter());
        return RandomCutForest.builder()
                .dimensions(settings.dimensions()) // one calibrated score per feature, each record on its own
                .shingleSize(1)
                .numberOfTrees(settings.numberOfTrees())
                .sampleSize(settings.sampleSize())
                .timeDecay(1.0 / settings.timeDecayWindow()) // KDA's timeDecay is a window; RCF wants the rate
                .outputAfter(forestOutputAfter) // no score before the forest has seen this many points
                .randomSeed(seed) // repeatable scores
                .parallelExecutionEnabled(false) // parallelism is across models, not inside one
                .boundingBoxCacheFraction(settings.boundingBoxCacheFraction()) // memory versus CPU
                .build();
    }

    /** Scores the record, decides, explains an anomaly, then (when it is clearly normal) learns. */
    @Override
    public Verdict score(double[] values, long epochMillis, double threshold) {
        seen++;
        double[] logs = FeatureTransform.features(values);
        double[] u = transform.standardize(logs);
        transform.observe(logs);
        if (u == null) {
            return Verdict.warmUp();
        }
        if (!transform.isCalibrated()) {
            List<double[]> clean = transform.screen(logs);
            if (clean != null) {
                clean.forEach(v -> forest.update(transform.calibrate(v)));
                readCutoff(settings);
            }
            return Verdict.warmUp();
        }
        double[] point = transform.calibrate(u);
        double score = forest.isOutputReady() ? forest.getAnomalyScore(point) : 0;
        boolean forestAgrees = Double.isNaN(cutoff) || score <= cutoff; // no cut-off yet: the screening decided
        if (forestAgrees && isClearlyNormal(point, transform.isYoung() ? YOUNG_LEARN_WITHIN : LEARN_WITHIN)) {
            forest.update(point);
            transform.learn(u);
            if (++sinceCutoff >= CUTOFF_EVERY || Double.isNaN(cutoff)) {
                readCutoff(settings);
            }
        }
        if (seen <= settings.outputAfter() || !forest.isOutputReady()) {
            return Verdict.warmUp();
        }
        double limit = Math.max(threshold, cutoff);
        if (score <= limit) {
            return new Verdict(score, false, false, limit, null);
        }
        return new Verdict(score, true, false, limit, explain(point, score));
    }

    private static boolean isClearlyNormal(double[] point, double within) {
        for (double c : point) {
            if (Math.abs(c) > within) {
                return false;
            }
        }
        return true;
    }

    /**
     * The cut-off: the forest's mean score of trades {@code sigmas} calibrated deviations out in one feature and typical
     * in the others. Because calibrated scores are about N(0, 1) for every shape, this is the same tail probability for
     * every ticker, and it follows the forest's own scale (trees, sample size).
     */
    private void readCutoff(ScoringSettings settings) {
        sinceCutoff = 0;
        if (!forest.isOutputReady()) {
            return;
        }
        double z = settings.sigmas();
        double sum = 0;
        for (int i = 0; i < dimensions; i++) {
            double[] probe = new double[dimensions];
            probe[i] = z;
            sum += forest.getAnomalyScore(probe);
            probe[i] = -z;
            sum += forest.getAnomalyScore(probe);
        }
        cutoff = sum / (2 * dimensions);
        centerScore = forest.getAnomalyScore(new double[dimensions]);
    }

    /**
     * Explains an anomaly feature by feature. Attributions are the Shapley values of the forest's score over the
     * features, each feature either as recorded or at its typical value (calibrated score 0), so that every inflated
     * feature shows and the parts add up to the score: exact for up to {@value #EXACT_SHAPLEY} features, beyond that
     * each feature's marginal effect (the score minus the score with that feature typical), scaled to add up. STRENGTH
     * is how far out the feature is on its own (its calibrated score, in normal deviations), EXPECTED its typical
     * value.
     */
    private Map<String, FeatureExplanation> explain(double[] point, double score) {
        double[] attribution = dimensions <= EXACT_SHAPLEY ? shapley(point, score) : marginal(point, score);
        Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
        for (int i = 0; i < dimensions; i++) {
            explanation.put(
                    features.get(i),
                    new FeatureExplanation(
                            point[i] >= 0 ? FeatureExplanation.Direction.HIGH : FeatureExplanation.Direction.LOW,
                            Math.abs(point[i]),
                            attribution[i],
                            transform.expected(i)));
        }
        return explanation;
    }

    /** Features explained by exact Shapley values (2^n forest scores per anomaly). */
    static final int EXACT_SHAPLEY = 4;

    private double[] shapley(double[] point, double score) {
        if (dimensions == 1) {
            return new double[] {score};
        }
        if (dimensions == 2) { // the two-feature case written out (the trades' price and quantity)
            double onlyFirst = forest.getAnomalyScore(new double[] {point[0], 0});
            double onlySecond = forest.getAnomalyScore(new double[] {0, point[1]});
            return new double[] {
                ((score - onlySecond) + (onlyFirst - centerScore)) / 2 + centerScore / 2,
                ((score - onlyFirst) + (onlySecond - centerScore)) / 2 + centerScore / 2
            };
        }
        int subsets = 1 << dimensions;
        double[] value = new double[subsets];
        for (int mask = 0; mask < subsets; mask++) {
            double[] probe = new double[dimensions];
            for (int i = 0; i < dimensions; i++) {
                if ((mask & (1 << i)) != 0) {
                    probe[i] = point[i];
                }
            }
            value[mask] = mask == subsets - 1 ? score : mask == 0 ? centerScore : forest.getAnomalyScore(probe);
        }
        double[] weight = new double[dimensions]; // |S|! (n - |S| - 1)! / n! by the size of S
        for (int size = 0; size < dimensions; size++) {
            weight[size] = 1.0 / (dimensions * binomial(dimensions - 1, size));
        }
        double[] phi = new double[dimensions];
        for (int mask = 0; mask < subsets; mask++) {
            for (int i = 0; i < dimensions; i++) {
                if ((mask & (1 << i)) == 0) {
                    phi[i] += weight[Integer.bitCount(mask)] * (value[mask | (1 << i)] - value[mask]);
                }
            }
        }
        for (int i = 0; i < dimensions; i++) {
            phi[i] += centerScore / dimensions; // the score of a typical record is shared alike
        }
        return phi;
    }

    private static double binomial(int n, int k) {
        double result = 1;
        for (int i = 1; i <= k; i++) {
            result = result * (n - k + i) / i;
        }
        return result;
    }

    private double[] marginal(double[] point, double score) {
        double[] effect = new double[dimensions];
        double total = 0;
        for (int i = 0; i < dimensions; i++) {
            double[] without = point.clone();
            without[i] = 0;
            effect[i] = Math.max(0, score - forest.getAnomalyScore(without));
            total += effect[i];
        }
        for (int i = 0; i < dimensions; i++) {
            effect[i] = total > 0 ? score * effect[i] / total : score / dimensions;
        }
        return effect;
    }

    /** Everything of a model but its forest, for snapshots; the cut-off is read again from the forest on restore. */
    record State(long seen, int sinceCutoff, FeatureTransform.State transform) {}

    State state() {
        return new State(seen, sinceCutoff, transform.state());
    }

    static CalibratedModel restore(RandomCutForest forest, State state, ScoringSettings settings) {
        CalibratedModel model = new CalibratedModel(forest, FeatureTransform.restore(state.transform()), settings);
        model.seen = state.seen();
        if (model.transform.isCalibrated()) {
            model.readCutoff(settings); // with the current sigmas
            model.sinceCutoff = state.sinceCutoff();
        }
        return model;
    }

    /** Records this model has been given (warm-up included). */
    @Override
    public long seen() {
        return seen;
    }

    @Override
    public boolean worthKeeping() {
        return seen >= FeatureTransform.CALIBRATION; // a few records of calibration are not worth a write
    }

    /** The current cut-off (NaN before the forest is ready). */
    double cutoff() {
        return cutoff;
    }

    RandomCutForest forest() {
        return forest;
    }

    FeatureTransform transform() {
        return transform;
    }
}
