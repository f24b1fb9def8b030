package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.record.FeatureExplanation;
import java.util.ArrayList;
import java.util.List;

/**
 * One key's model of its own recent normal, for any record of 1 to 32 numeric features, and how surprising each record
 * is under it: the score is in decades of surprise, {@code -log10} of the probability of a record at least as far out
 * (so 5 means one in 100,000 for every key, whatever its scale or shape), the verdict is that score against a
 * threshold, and the explanation says per feature which way it is out, how far (in normal deviations), its share of
 * the score and what was expected. It scores a record before it learns it. Not thread-safe.
 *
 * <p>Per feature: a logarithmic scale when the feature's first records are all positive (prices, quantities, counts
 * above zero, latencies: variation is relative), a robust level and scale ({@link FeatureScale}: window medians, the
 * longest window that agrees with the shorter ones, so that a lasting change becomes the new level within about half
 * the shortest window), and the shape of the feature's standardized deviations at records judged normal ({@link
 * FeatureShape}), which maps a deviation to a calibrated one (standard normal). With two or more features, the {@link
 * RelationModel} adds how surprising each feature is given the others. The shapes learn every record after the
 * warm-up's screening that is within {@link SurpriseSettings#learnWithin()} (10 calibrated deviations), so that a
 * deviation that recurs becomes as surprising as it is rare; the relation model learns only records within its own
 * bound, and a lasting break after {@link SurpriseSettings#adoptAfter()} records. Lasting changes of a feature are
 * adopted by its level.
 *
 * <p>Per feature also a flat-line test ({@link RunLength}): how surprising its current run of repeated values is,
 * under its own history of runs; such a run is adopted after half the shortest level window, as a lasting change of
 * level is. Once a feature's run has been surprising (beyond {@value #FLAT} decades, the default threshold) its
 * values are kept out of its level and scale until the run ends, so that a stuck value does not shrink the scale to
 * nothing and make the records after it look like the end of the world.
 */
public final class SurpriseModel {

    /** Records screened together, once each feature has a first level and scale, to seed the shapes. */
    static final int SCREENED = 64;

    /** Decades of surprise of a run from which the run's values are kept out of the feature's level and scale. */
    static final double FLAT = SurpriseSettings.DEFAULT_THRESHOLD;

    /**
     * What the model concluded about one record.
     *
     * @param score the surprise in decades, at least 0 (0 during warm-up)
     * @param anomaly whether the score reaches the threshold
     * @param warmingUp whether the model had not yet seen enough records to give a verdict
     * @param explanation per feature (in input order) for an anomaly, else null
     */
    public record Surprise(double score, boolean anomaly, boolean warmingUp, FeatureExplanation[] explanation) {
        static final Surprise WARM_UP = new Surprise(0, false, true, null);
    }

    private final SurpriseSettings settings;
    private final int d;
    private final List<double[]> undecided = new ArrayList<>();

    private final List<double[]> screening = new ArrayList<>();
    private final List<double[]> screeningRaw = new ArrayList<>();

    private final FeatureScale[] scales;
    private final FeatureShape[] shapes;
    private final RunLength[] runs;
    private final RelationModel relations;
    private boolean[] logarithmic;
    private double[] floor;
    private long seen;

    public SurpriseModel(int dimensions, SurpriseSettings settings) {
        this.settings = settings;
        this.d = dimensions;
        this.scales = new FeatureScale[d];
        this.shapes = new FeatureShape[d];
        this.runs = new RunLength[d];
        int[] w = settings.levelWindows();
        for (int i = 0; i < d; i++) {
            scales[i] = new FeatureScale(w[0], w[1], w[2]);
            shapes[i] = new FeatureShape();
            runs[i] = new RunLength(w[2], w[0] / 2, FLAT);
        }
        this.relations = settings.relations() && d >= 2
                ? new RelationModel(
                        d,
                        settings.relationMemory(),
                        settings.relationSpan(),
                        settings.adoptAfter(),
                        settings.relationLearnWithin())
                : null;
    }

    /**
     * Scores a record (its features, all finite), then learns it if it looks normal.
     *
     * @param threshold the verdict threshold, in decades
     */
    public Surprise score(double[] features, double threshold) {
        seen++;
        if (logarithmic == null) {
            undecided.add(features.clone());
            if (undecided.size() == settings.decideAfter()) {
                chooseScales();
                for (double[] record : undecided) {
                    process(record, transform(record), threshold);
                }
                undecided.clear();
            }
            return Surprise.WARM_UP;
        }
        Surprise surprise = process(features, transform(features), threshold);
        return seen <= settings.outputAfter() ? Surprise.WARM_UP : surprise;
    }

    /** Logarithmic for a feature whose first records were all positive; a later value at or below 0 is floored. */
    private void chooseScales() {
        logarithmic = new boolean[d];
        floor = new double[d];
        for (int i = 0; i < d; i++) {
            double min = Double.POSITIVE_INFINITY;
            for (double[] record : undecided) {
                min = Math.min(min, record[i]);
            }
            logarithmic[i] = settings.logarithmic() && min > 0;
            floor[i] = logarithmic[i] ? Math.log(min / 10) : 0;
        }
    }

    private double[] transform(double[] x) {
        double[] y = x.clone();
        for (int i = 0; i < d; i++) {
            if (logarithmic[i]) {
                y[i] = x[i] > 0 ? Math.max(Math.log(x[i]), floor[i]) : floor[i];
            }
        }
        return y;
    }

    private Surprise process(double[] raw, double[] y, double threshold) {
        double[] flat = new double[d];
        for (int i = 0; i < d; i++) {
            flat[i] = runs[i].observe(raw[i]);
        }
        if (!scales[0].isReady()) {
            observe(y);
            return Surprise.WARM_UP;
        }
        double[] u = new double[d];
        for (int i = 0; i < d; i++) {
            u[i] = scales[i].standardize(y[i]);
        }
        observe(y);
        if (shapes[0].size() == 0) {
            screening.add(y);
            screeningRaw.add(raw);
            if (screening.size() == SCREENED) {
                seed();
            }
            return Surprise.WARM_UP;
        }
        double[] c = new double[d];
        double[] surprise = new double[d];
        double most = 0;
        boolean normal = true;
        for (int i = 0; i < d; i++) {
            c[i] = shapes[i].score(u[i], scales[i].resolutionInScales());
            surprise[i] = Surprises.twoSided(c[i]);
            most = Math.max(most, surprise[i]);
            // a stuck feature's record is no evidence of the normal: neither the shapes nor the relations learn it
            normal &= Math.abs(c[i]) <= settings.learnWithin() && !runs[i].stuck();
        }
        for (int i = 0; i < d; i++) {
            surprise[i] = Math.max(surprise[i], flat[i]);
            most = Math.max(most, flat[i]);
        }
        int families = 2;
        if (relations != null) {
            // over the values as they come, not their logarithms: a stream's relations (a sum, a balance, a gain) are
            // linear in the units it reports
            double[] related = relations.score(raw, normal);
            for (int i = 0; i < d; i++) {
                surprise[i] = Math.max(surprise[i], related[i]);
                most = Math.max(most, related[i]);
            }
            families = 3;
        }
        if (normal) {
            for (int i = 0; i < d; i++) {
                shapes[i].learn(u[i], scales[i].isRising());
            }
        }
        double score = Surprises.ofMost(most, d * families);
        boolean anomaly = score >= threshold;
        return new Surprise(score, anomaly, false, anomaly ? explain(c, surprise, score) : null);
    }

    /** Follows each feature's level and scale with a record, but for a stuck feature ({@link RunLength#stuck}). */
    private void observe(double[] y) {
        for (int i = 0; i < d; i++) {
            if (!runs[i].stuck()) {
                scales[i].observe(y[i]);
            }
        }
    }

    /**
     * The first {@value #SCREENED} records after the levels are known, standardized together against the level and
     * scale after the last of them, screened for outliers ({@link WarmUpScreening}); the clean ones seed the shapes and
     * the relations.
     */
    private void seed() {
        double[][] u = new double[SCREENED][d];
        boolean[] out = new boolean[SCREENED];
        for (int i = 0; i < d; i++) {
            double[] column = new double[SCREENED];
            for (int t = 0; t < SCREENED; t++) {
                u[t][i] = scales[i].standardize(screening.get(t)[i]);
                column[t] = u[t][i];
            }
            boolean[] o = WarmUpScreening.outliers(column);
            for (int t = 0; t < SCREENED; t++) {
                out[t] |= o[t];
            }
        }
        List<double[]> clean = new ArrayList<>();
        for (int t = 0; t < SCREENED; t++) {
            if (!out[t]) {
                clean.add(screening.get(t));
                for (int i = 0; i < d; i++) {
                    shapes[i].learn(u[t][i], false);
                }
            }
        }
        if (clean.isEmpty()) {
            for (int i = 0; i < d; i++) {
                shapes[i].learn(0, false);
            }
        }
        if (relations != null) {
            List<double[]> cleanRaw = new ArrayList<>();
            for (int t = 0; t < SCREENED; t++) {
                if (!out[t]) {
                    cleanRaw.add(screeningRaw.get(t));
                }
            }
            cleanRaw.forEach(relations::seed);
            relations.seedShapes(cleanRaw);
        }
        screening.clear();
        screeningRaw.clear();
    }

    /**
     * Per feature: HIGH or LOW against the expected value, how far out on its own (calibrated deviations), its share of
     * the score (in proportion to its own surprise; the shares add up to the score), and the expected value (the
     * feature's level, in its own units).
     */
    private FeatureExplanation[] explain(double[] c, double[] surprise, double score) {
        double total = 0;
        for (double s : surprise) {
            total += s;
        }
        FeatureExplanation[] explanation = new FeatureExplanation[d];
        for (int i = 0; i < d; i++) {
            double level = scales[i].level();
            explanation[i] = new FeatureExplanation(
                    c[i] >= 0 ? FeatureExplanation.Direction.HIGH : FeatureExplanation.Direction.LOW,
                    Math.abs(c[i]),
                    total == 0 ? score / d : score * surprise[i] / total,
                    logarithmic[i] ? Math.exp(level) : level);
        }
        return explanation;
    }

    public long seen() {
        return seen;
    }

    /**
     * Everything a model knows, for snapshots (plain arrays: any serializer takes it): records seen, the records
     * collected before the scales were chosen and those collected for the screening, per feature its scale (log or
     * not, floor), level windows and learnt shape, its runs of repeated values, and the relation model's state.
     */
    public record State(
            long seen,
            double[][] undecided,
            boolean[] logarithmic,
            double[] floor,
            double[][] screening,
            double[][] screeningRaw,
            double[][][] scales,
            double[][] shapes,
            int[] shapesLearnt,
            boolean[] shapesRose,
            double[][][] runs,
            RelationModel.State relations) {}

    /**
     * The model's state. Taking it refits the learnt shapes and drops cached scales, as restoring does, so that the
     * model and one restored from this state score every later record alike.
     */
    public State state() {
        for (int i = 0; i < d; i++) {
            scales[i].settle();
            if (shapes[i].size() > 0) {
                shapes[i].fit();
            }
        }
        double[][][] scaleStates = new double[d][][];
        double[][] shapeStates = new double[d][];
        int[] learnt = new int[d];
        boolean[] rose = new boolean[d];
        double[][][] runStates = new double[d][][];
        for (int i = 0; i < d; i++) {
            runStates[i] = runs[i].state();
            scaleStates[i] = scales[i].state();
            shapeStates[i] = shapes[i].state();
            learnt[i] = shapes[i].learnt();
            rose[i] = shapes[i].rose();
        }
        return new State(
                seen,
                undecided.toArray(double[][]::new),
                logarithmic,
                floor,
                screening.toArray(double[][]::new),
                screeningRaw.toArray(double[][]::new),
                scaleStates,
                shapeStates,
                learnt,
                rose,
                runStates,
                relations == null ? null : relations.state());
    }

    /** A model as it was when {@code state} was taken, under these settings. */
    public static SurpriseModel restore(int dimensions, SurpriseSettings settings, State state) {
        SurpriseModel model = new SurpriseModel(dimensions, settings);
        model.seen = state.seen();
        model.undecided.addAll(List.of(state.undecided()));
        model.logarithmic = state.logarithmic();
        model.floor = state.floor();
        model.screening.addAll(List.of(state.screening()));
        model.screeningRaw.addAll(List.of(state.screeningRaw()));
        for (int i = 0; i < dimensions; i++) {
            model.scales[i].restore(state.scales()[i]);
            model.runs[i].restore(state.runs()[i]);
            if (state.shapes()[i].length > 0) {
                model.shapes[i].restore(state.shapes()[i], state.shapesLearnt()[i], state.shapesRose()[i]);
            }
        }
        if (model.relations != null && state.relations() != null) {
            model.relations.restore(state.relations());
        }
        return model;
    }
}
