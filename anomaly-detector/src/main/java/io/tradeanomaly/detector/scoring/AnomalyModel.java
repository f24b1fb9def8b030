package io.tradeanomaly.detector.scoring;

import com.amazon.randomcutforest.RandomCutForest;
import com.amazon.randomcutforest.returntypes.DiVector;
import io.tradeanomaly.common.trade.FeatureExplanation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Random Cut Forest over a trade's (price, quantity) features with its verdict logic: score first, then update,
 * like KDA. Not thread-safe (RCF updates are not): a model belongs to one shard processor and is used by one thread
 * at a time.
 */
public final class AnomalyModel {

    static final String[] FEATURES = {"price", "quantity"};

    private ProtoModel proto;
    private ProtoModel2 proto2;
    private long protoSeed;
    private final RandomCutForest forest;
    private final ScoreStatistics statistics;
    private final FeatureTransform transform;
    private final Features features;
    private long seen;
    private final double[] streakPrices;
    private int consecutiveAnomalies;

    AnomalyModel(ScoringSettings settings, long seed) {
        this(
                newForest(settings, seed),
                new ScoreStatistics(settings.scoreWindow()),
                new FeatureTransform(),
                settings.features());
        this.protoSeed = seed;
    }

    AnomalyModel(RandomCutForest forest, ScoreStatistics statistics, FeatureTransform transform, Features features) {
        this(forest, statistics, transform, features, 20);
    }

    AnomalyModel(
            RandomCutForest forest,
            ScoreStatistics statistics,
            FeatureTransform transform,
            Features features,
            int adoptShiftAfter) {
        this.streakPrices = new double[adoptShiftAfter];
        this.forest = forest;
        this.statistics = statistics;
        this.transform = transform;
        this.features = features;
    }

    static RandomCutForest newForest(ScoringSettings settings, long seed) {
        // KDA (RAW) gives no score before outputAfter points. RELATIVE models score from their 32nd clean point on,
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

    /** Scores the trade, decides, explains an anomaly, then (unless it is an anomaly not to learn) updates. */
    Verdict scoreAndUpdate(String ticker, double price, double quantity, ScoringSettings settings) {
        if (features == Features.PROTO2) {
            if (proto2 == null) {
                proto2 = new ProtoModel2(settings, protoSeed);
            }
            return proto2.scoreAndUpdate(price, quantity, settings);
        }
        if (features == Features.PROTO) {
            if (proto == null) {
                proto = new ProtoModel(settings, protoSeed);
            }
            return proto.scoreAndUpdate(price, quantity, settings);
        }
        seen++;
        if (features == Features.RAW) {
            return scoreRaw(new double[] {price, quantity}, settings);
        }
        if (!transform.isCalibrated()) {
            double[][] calibrated = transform.calibrate(ticker, price, quantity);
            if (calibrated != null) {
                for (double[] p : calibrated) {
                    forest.update(p);
                }
            }
            return Verdict.warmUp();
        }
        double[] point = transform.point(ticker, price, quantity);
        transform.observe(ticker, price);
        if (seen <= settings.outputAfter()) {
            // Warm-up: no verdict yet; the young sample takes what the robust calibration rule calls ordinary, and
            // the scores of those points already feed the adaptive cut-off.
            if (settings.learnFromAnomalies() || transform.isOrdinary(point)) {
                if (forest.isOutputReady()) {
                    statistics.add(forest.getAnomalyScore(point));
                }
                forest.update(point);
            }
            return Verdict.warmUp();
        }
        double score = forest.getAnomalyScore(point);
        double modelCutoff = modelCutoff(settings);
        double cutoff = Math.max(settings.threshold(), modelCutoff);
        if (score <= modelCutoff) {
            // Normal for this model: learnt, and part of the statistics of normal scores.
            statistics.add(score);
            consecutiveAnomalies = 0;
            forest.update(point);
            return new Verdict(score, false, false, cutoff, null);
        }
        // Out of line for this model: kept out of the sample and the statistics, whether or not the threshold (a
        // publishing floor chosen by the user) lets it through as an anomaly.
        DiVector attribution = forest.getAnomalyAttribution(point);
        streakPrices[consecutiveAnomalies % streakPrices.length] = price;
        consecutiveAnomalies++;
        if (settings.learnFromAnomalies()) {
            forest.update(point);
        } else if (consecutiveAnomalies >= streakPrices.length) {
            // Every recent trade out of line: the ticker has moved (split, news). Adopt the new level, learn again.
            transform.adoptLevel(ticker, streakPrices);
            forest.update(transform.point(ticker, price, quantity));
            consecutiveAnomalies = 0;
        }
        if (score <= cutoff) {
            return new Verdict(attribution.getHighLowSum(), false, false, cutoff, null);
        }
        return anomaly(attribution, cutoff);
    }

    /** KDA: every point is learnt; the forest itself withholds scores until it has seen outputAfter points. */
    private Verdict scoreRaw(double[] point, ScoringSettings settings) {
        if (!forest.isOutputReady()) {
            forest.update(point);
            return Verdict.warmUp();
        }
        double score = forest.getAnomalyScore(point);
        double cutoff = Math.max(settings.threshold(), modelCutoff(settings));
        Verdict verdict;
        if (score > cutoff) {
            verdict = anomaly(forest.getAnomalyAttribution(point), cutoff);
        } else {
            statistics.add(score);
            verdict = new Verdict(score, false, false, cutoff, null);
        }
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

    /**
     * The score above which a trade is out of line for this model: the threshold in FIXED mode, else the adaptive
     * cut-off (mean + sigmas x deviation of recent normal scores; the threshold until 32 scores are known).
     */
    private double modelCutoff(ScoringSettings settings) {
        if (settings.thresholdMode() == ThresholdMode.FIXED || statistics.count() < 32) {
            return settings.threshold();
        }
        return statistics.cutoff(settings.sigmas());
    }

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
                            high + low));
        }
        return explanation;
    }

    /** Everything of a model but its forest, for snapshots. */
    record State(
            Features features,
            long seen,
            int consecutiveAnomalies,
            double[] streakPrices,
            double scoreMean,
            double scoreVariance,
            long scoreCount,
            double[] scales,
            double quantityCenter,
            Map<String, double[]> levels) {}

    State state() {
        return new State(
                features,
                seen,
                consecutiveAnomalies,
                streakPrices.clone(),
                statistics.mean(),
                statistics.variance(),
                statistics.count(),
                transform.scales() == null ? null : transform.scales().clone(),
                transform.quantityCenter(),
                new java.util.HashMap<>(transform.levels()));
    }

    static AnomalyModel restore(RandomCutForest forest, State state, ScoringSettings settings) {
        ScoreStatistics statistics = new ScoreStatistics(settings.scoreWindow());
        statistics.restore(state.scoreMean(), state.scoreVariance(), state.scoreCount());
        FeatureTransform transform = new FeatureTransform();
        if (state.scales() != null) {
            transform.restore(state.scales(), state.quantityCenter(), state.levels());
        }
        AnomalyModel model =
                new AnomalyModel(forest, statistics, transform, state.features(), state.streakPrices().length);
        model.seen = state.seen();
        model.consecutiveAnomalies = state.consecutiveAnomalies();
        System.arraycopy(state.streakPrices(), 0, model.streakPrices, 0, state.streakPrices().length);
        return model;
    }

    /** Trades this model has been given (warm-up included). */
    public long seen() {
        return seen;
    }

    public long totalUpdates() {
        return forest.getTotalUpdates();
    }

    ProtoModel2 proto2() {
        return proto2;
    }

    ProtoModel proto() {
        return proto;
    }

    RandomCutForest forest() {
        return forest;
    }

    ScoreStatistics statistics() {
        return statistics;
    }

    FeatureTransform transform() {
        return transform;
    }
}
