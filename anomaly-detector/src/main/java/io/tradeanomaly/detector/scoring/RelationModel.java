package io.tradeanomaly.detector.scoring;

import java.util.List;

/**
 * How a key's features relate, for a {@link SurpriseModel} with two or more features: the mean and covariance of
 * the records judged normal (exponentially weighted over about {@code memory} of them), and for each record each
 * feature's standardized residual given all the others ({@code (P (y - mean))_j / sqrt(P_jj)}, P the precision
 * matrix): about N(0, 1) while the features keep their usual relation, large for a feature out of line with the
 * others even when each stays within its own range. A clipped exponential average of the residuals (span {@code
 * span}) adds up a small break that persists. Both are calibrated by the shape of their values at normal records,
 * learnt with both signs (they are centred on zero by construction: a slow break must not move the centre). A
 * record is learnt only when it looks normal; a break that persists for {@code adoptAfter} records is learnt anyway:
 * it has become the new relation. Not thread-safe.
 */
final class RelationModel {

    private static final int REFRESH_EVERY = 16;
    private static final int CALIBRATED_AFTER = 64;
    private static final double CLIP = 3;
    private static final double RIDGE = 0.01;

    private final int d;
    private final double lambda;
    private final double alpha;
    private final int adoptAfter;
    private final double learnWithin;
    private final double[] mean;
    private final double[][] cov;
    private double[][] precision;
    /** Whether the others explain at least {@link #EXPLAINED} of a feature's variance (as of the last refresh). */
    private final boolean[] related;

    static final double EXPLAINED = 0.5;
    private final double[] ewma;
    private final FeatureShape[] residualShapes;
    private final FeatureShape[] ewmaShapes;
    private long learnt;
    private int sinceRefresh;
    private int notLearnt;
    private boolean adopting;

    RelationModel(int d, int memory, int span, int adoptAfter, double learnWithin) {
        this.d = d;
        this.lambda = 1.0 / memory;
        this.alpha = 2.0 / (span + 1);
        this.adoptAfter = adoptAfter;
        this.learnWithin = learnWithin;
        this.mean = new double[d];
        this.cov = new double[d][d];
        this.ewma = new double[d];
        this.related = new boolean[d];
        this.residualShapes = new FeatureShape[d];
        this.ewmaShapes = new FeatureShape[d];
        for (int j = 0; j < d; j++) {
            residualShapes[j] = new FeatureShape();
            ewmaShapes[j] = new FeatureShape();
        }
    }

    /** Learns a record of the warm-up (judged clean by the screening). */
    void seed(double[] y) {
        learn(y);
    }

    /** After the warm-up's records: the residuals of the seed records start the residual shapes. */
    void seedShapes(List<double[]> records) {
        for (double[] y : records) {
            double[] r = residuals(y);
            for (int j = 0; j < d; j++) {
                residualShapes[j].learn(r[j], false);
                residualShapes[j].learn(-r[j], false);
            }
        }
    }

    /**
     * Scores a record (then learns it if it looks normal and {@code othersNormal}).
     *
     * @return per feature, how surprising its relation to the others is, in decades (0 while young)
     */
    double[] score(double[] y, boolean othersNormal) {
        double[] surprise = new double[d];
        if (precision == null) {
            return surprise;
        }
        double[] r = residuals(y);
        boolean normal = true;
        for (int j = 0; j < d; j++) {
            ewma[j] = (1 - alpha) * ewma[j] + alpha * Math.max(-CLIP, Math.min(CLIP, r[j]));
            if (!related[j]) {
                continue; // the others explain little of this feature: its own model judges it alone
            }
            double point = residualShapes[j].size() >= CALIBRATED_AFTER ? residualShapes[j].score(r[j], 0) : 0;
            double smooth = ewmaShapes[j].size() >= CALIBRATED_AFTER ? ewmaShapes[j].score(ewma[j], 0) : 0;
            normal &= Math.abs(point) <= learnWithin && Math.abs(smooth) <= learnWithin;
            surprise[j] = Surprises.ofMost(Math.max(Surprises.twoSided(point), Surprises.twoSided(smooth)), 2);
        }
        if (normal && othersNormal) {
            notLearnt = 0;
        } else if (++notLearnt >= adoptAfter) {
            adopting = true; // the break has persisted: it is becoming the new relation
        }
        if (normal && othersNormal || adopting) {
            if (normal) {
                adopting = false;
            }
            learn(y);
            for (int j = 0; j < d; j++) {
                // both signs: a residual given the others is centred on zero by construction, so that a break that
                // comes slowly (within the learning bound) widens its shapes but never moves their centre, and the
                // normal that returns after it is not judged against the break
                residualShapes[j].learn(r[j], false);
                residualShapes[j].learn(-r[j], false);
                ewmaShapes[j].learn(ewma[j], false);
                ewmaShapes[j].learn(-ewma[j], false);
            }
        }
        return surprise;
    }

    /** The relation model's state (see {@link SurpriseModel.State}). */
    public record State(
            double[] mean,
            double[][] covariance,
            double[][] precision,
            boolean[] related,
            double[] ewma,
            double[][] residualShapes,
            int[] residualShapesLearnt,
            double[][] ewmaShapes,
            int[] ewmaShapesLearnt,
            long learnt,
            int sinceRefresh,
            int notLearnt,
            boolean adopting) {}

    State state() {
        for (int j = 0; j < d; j++) {
            if (residualShapes[j].size() > 0) {
                residualShapes[j].fit();
            }
            if (ewmaShapes[j].size() > 0) {
                ewmaShapes[j].fit();
            }
        }
        double[][] residual = new double[d][];
        double[][] smooth = new double[d][];
        int[] residualLearnt = new int[d];
        int[] smoothLearnt = new int[d];
        for (int j = 0; j < d; j++) {
            residual[j] = residualShapes[j].state();
            smooth[j] = ewmaShapes[j].state();
            residualLearnt[j] = residualShapes[j].learnt();
            smoothLearnt[j] = ewmaShapes[j].learnt();
        }
        double[][] covariance = new double[d][];
        for (int i = 0; i < d; i++) {
            covariance[i] = cov[i].clone();
        }
        return new State(
                mean.clone(),
                covariance,
                precision,
                related.clone(),
                ewma.clone(),
                residual,
                residualLearnt,
                smooth,
                smoothLearnt,
                learnt,
                sinceRefresh,
                notLearnt,
                adopting);
    }

    void restore(State state) {
        System.arraycopy(state.mean(), 0, mean, 0, d);
        for (int i = 0; i < d; i++) {
            System.arraycopy(state.covariance()[i], 0, cov[i], 0, d);
            if (state.residualShapes()[i].length > 0) {
                residualShapes[i].restore(state.residualShapes()[i], state.residualShapesLearnt()[i], false);
            }
            if (state.ewmaShapes()[i].length > 0) {
                ewmaShapes[i].restore(state.ewmaShapes()[i], state.ewmaShapesLearnt()[i], false);
            }
        }
        precision = state.precision();
        System.arraycopy(state.related(), 0, related, 0, d);
        System.arraycopy(state.ewma(), 0, ewma, 0, d);
        learnt = state.learnt();
        sinceRefresh = state.sinceRefresh();
        notLearnt = state.notLearnt();
        adopting = state.adopting();
    }

    /** Each feature's standardized residual given the others. */
    private double[] residuals(double[] y) {
        double[] centred = new double[d];
        for (int i = 0; i < d; i++) {
            centred[i] = y[i] - mean[i];
        }
        double[] r = new double[d];
        for (int j = 0; j < d; j++) {
            double s = 0;
            for (int k = 0; k < d; k++) {
                s += precision[j][k] * centred[k];
            }
            r[j] = s / Math.sqrt(precision[j][j]);
        }
        return r;
    }

    private void learn(double[] y) {
        learnt++;
        double w = Math.max(lambda, 1.0 / learnt);
        double[] diff = new double[d];
        for (int i = 0; i < d; i++) {
            diff[i] = y[i] - mean[i];
            mean[i] += w * diff[i];
        }
        for (int i = 0; i < d; i++) {
            for (int k = 0; k <= i; k++) {
                cov[i][k] = (1 - w) * (cov[i][k] + w * diff[i] * diff[k]);
                cov[k][i] = cov[i][k];
            }
        }
        if (++sinceRefresh >= REFRESH_EVERY || precision == null && learnt >= 2 * d + 8) {
            refresh();
        }
    }

    /** The precision matrix of the covariance with a small ridge (and a floor for a constant feature). */
    private void refresh() {
        sinceRefresh = 0;
        double[][] c = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(cov[i], 0, c[i], 0, d);
            double floor = 1e-12 * (1 + mean[i] * mean[i]);
            c[i][i] = c[i][i] * (1 + RIDGE) + floor;
        }
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j <= i; j++) {
                double s = c[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                l[i][j] = i == j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j][j];
            }
        }
        double[][] inverseL = new double[d][d];
        for (int col = 0; col < d; col++) {
            for (int i = 0; i < d; i++) {
                double s = i == col ? 1 : 0;
                for (int k = 0; k < i; k++) {
                    s -= l[i][k] * inverseL[k][col];
                }
                inverseL[i][col] = s / l[i][i];
            }
        }
        double[][] p = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int k = Math.max(i, j); k < d; k++) {
                    s += inverseL[k][i] * inverseL[k][j];
                }
                p[i][j] = s;
            }
        }
        precision = p;
        for (int j = 0; j < d; j++) {
            // the share of the variance the others explain: 1 - conditional variance / variance
            related[j] = 1 - 1 / (p[j][j] * c[j][j]) >= EXPLAINED;
        }
    }
}
