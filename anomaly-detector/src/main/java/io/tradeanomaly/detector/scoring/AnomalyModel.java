package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import io.tradeanomaly.common.trade.FeatureExplanation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One Random Cut Forest with its verdict logic: score first, then update, like KDA. With {@link Features#RAW} it is
 * exactly KDA's: the forest over (price, quantity), a fixed threshold. With {@link Features#CALIBRATED} the forest
 * sees the ticker's calibrated scores ({@link FeatureTransform}); a trade is out of line when the forest scores it
 * above what it gives a trade {@code sigmas} calibrated deviations out in one feature (the <em>cut-off</em>, read from
 * the forest itself), and only trades that are clearly normal are learnt. Not thread-safe (RCF updates are not): a
 * model belongs to one shard processor and is used by one thread at a time.
 */
public final class AnomalyModel {

    static final String[] FEATURES = FeatureTransform.FEATURES;
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
    private final Features features;
    private long seen;
    private double cutoff = Double.NaN;
    private double centerScore;
    private int sinceCutoff;

    AnomalyModel(ScoringSettings settings, long seed) {
        this(newForest(settings, seed), settings.features() == Features.RAW ? null : new FeatureTransform(), settings);
    }

    private AnomalyModel(RandomCutForest forest, FeatureTransform transform, ScoringSettings settings) {
        this.forest = forest;
        this.transform = transform;
        this.settings = settings;
        this.features = settings.features();
    }

    static RandomCutForest newForest(ScoringSettings settings, long seed) {
        // KDA (RAW) gives no score before outputAfter points. CALIBRATED models score from their 32nd clean point on,
        // so that outliers are kept out of the sample during warm-up too; their verdicts still wait for outputAfter.
        int forestOutputAfter =
                settings.features() == Features.RAW ? settings.outputAfter() : Math.min(32, settings.outputAfter());
        return RandomCutForest.builder()
                .dimensions(FEATURES.length) // (price, quantity), shingle size 1 as in KDA
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

    /** Scores the trade, decides, explains an anomaly, then (unless it is not to be learnt) updates. */
    Verdict scoreAndUpdate(String ticker, double price, double quantity, ScoringSettings settings) {
        seen++;
        return features == Features.RAW
                ? scoreRaw(new double[] {price, quantity}, settings)
                : scoreCalibrated(FeatureTransform.features(price, quantity), settings);
    }

    private Verdict scoreCalibrated(double[] trade, ScoringSettings settings) {
        double[] u = transform.standardize(trade);
        transform.observe(trade);
        if (u == null) {
            return Verdict.warmUp();
        }
        if (!transform.isCalibrated()) {
            List<double[]> clean = transform.screen(trade);
            if (clean != null) {
                clean.forEach(v -> forest.update(transform.calibrate(v)));
                readCutoff(settings);
            }
            return Verdict.warmUp();
        }
        double[] point = transform.calibrate(u);
        double score = forest.isOutputReady() ? forest.getAnomalyScore(point) : 0;
        boolean forestAgrees = Double.isNaN(cutoff) || score <= cutoff; // no cut-off yet: the screening decided
        if (settings.learnFromAnomalies()
                || (forestAgrees && isClearlyNormal(point, transform.isYoung() ? YOUNG_LEARN_WITHIN : LEARN_WITHIN))) {
            forest.update(point);
            transform.learn(u);
            if (++sinceCutoff >= CUTOFF_EVERY || Double.isNaN(cutoff)) {
                readCutoff(settings);
            }
        }
        if (seen <= settings.outputAfter() || !forest.isOutputReady()) {
            return Verdict.warmUp();
        }
        double limit = settings.thresholdMode() == ThresholdMode.FIXED
                ? settings.threshold()
                : Math.max(settings.threshold(), cutoff);
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
        for (int i = 0; i < FEATURES.length; i++) {
            double[] probe = new double[FEATURES.length];
            probe[i] = z;
            sum += forest.getAnomalyScore(probe);
            probe[i] = -z;
            sum += forest.getAnomalyScore(probe);
        }
        cutoff = sum / (2 * FEATURES.length);
        centerScore = forest.getAnomalyScore(new double[FEATURES.length]);
    }

    /**
     * Explains an anomaly feature by feature. Attributions are the Shapley values of the forest's score over the two
     * features, each feature either as traded or at its typical value (calibrated score 0): so both of two inflated
     * features show, and the parts add up to the score. STRENGTH is how far out the feature is on its own (its
     * calibrated score, in normal deviations), EXPECTED its typical value.
     */
    private Map<String, FeatureExplanation> explain(double[] point, double score) {
        double onlyPrice = forest.getAnomalyScore(new double[] {point[0], 0});
        double onlyQuantity = forest.getAnomalyScore(new double[] {0, point[1]});
        double[] shapley = {
            ((score - onlyQuantity) + (onlyPrice - centerScore)) / 2 + centerScore / 2,
            ((score - onlyPrice) + (onlyQuantity - centerScore)) / 2 + centerScore / 2
        };
        Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
        for (int i = 0; i < FEATURES.length; i++) {
            explanation.put(
                    FEATURES[i],
                    new FeatureExplanation(
                            point[i] >= 0 ? FeatureExplanation.Direction.HIGH : FeatureExplanation.Direction.LOW,
                            Math.abs(point[i]),
                            shapley[i],
                            transform.expected(i)));
        }
        return explanation;
    }

    /** KDA: every point is learnt; the forest itself withholds scores until it has seen outputAfter points. */
    private Verdict scoreRaw(double[] point, ScoringSettings settings) {
        if (!forest.isOutputReady()) {
            forest.update(point);
            return Verdict.warmUp();
        }
        double score = forest.getAnomalyScore(point);
        double threshold = settings.threshold();
        Verdict verdict = score > threshold
                ? anomaly(forest.getAnomalyAttribution(point), threshold)
                : new Verdict(score, false, false, threshold, null);
        if (verdict.anomaly() && !settings.learnFromAnomalies()) {
            return verdict;
        }
        forest.update(point);
        return verdict;
    }

    private static Verdict anomaly(DiVector attribution, double cutoff) {
        // The attribution comes from the same traversal as the score; its sum is reported so the parts add up.
        return new Verdict(attribution.getHighLowSum(), true, false, cutoff, explain(attribution));
    }

    /** KDA's explanation: RCF's directional attribution (DiVector) per raw feature. */
    static Map<String, FeatureExplanation> explain(DiVector attribution) {
        Map<String, FeatureExplanation> explanation = new LinkedHashMap<>();
        for (int i = 0; i < FEATURES.length; i++) {
            double high = attribution.high[i];
            double low = attribution.low[i];
            explanation.put(
                    FEATURES[i],
                    new FeatureExplanation(
                            high >= low ? FeatureExplanation.Direction.HIGH : FeatureExplanation.Direction.LOW,
                            Math.abs(high - low),
                            high + low,
                            null));
        }
        return explanation;
    }

    /** Everything of a model but its forest, for snapshots; the cut-off is read again from the forest on restore. */
    record State(Features features, long seen, int sinceCutoff, FeatureTransform.State transform) {}

    State state() {
        return new State(features, seen, sinceCutoff, transform == null ? null : transform.state());
    }

    static AnomalyModel restore(RandomCutForest forest, State state, ScoringSettings settings) {
        FeatureTransform transform = state.transform() == null ? null : FeatureTransform.restore(state.transform());
        AnomalyModel model = new AnomalyModel(forest, transform, settings);
        model.seen = state.seen();
        if (transform != null && transform.isCalibrated()) {
            model.readCutoff(settings); // with the current sigmas
            model.sinceCutoff = state.sinceCutoff();
        }
        return model;
    }

    /** The settings the model was built with (those that shape its state are recorded in its snapshots). */
    ScoringSettings settings() {
        return settings;
    }

    /** Trades this model has been given (warm-up included). */
    public long seen() {
        return seen;
    }

    public long totalUpdates() {
        return forest.getTotalUpdates();
    }

    /** The current cut-off (NaN for RAW models and before the forest is ready). */
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
