package io.tradeanomaly.detector.quality.series;

/**
 * A diagnostic, not a candidate: learns each feature's mean and deviation (and their correlation) from the first
 * {@code warmUp} records of a key and never again, as the offline detectors of sensor-run benchmarks are trained on a
 * run's fault-free start. Score: Hotelling's T-squared (with a small ridge), or with {@code maxz} the largest |z|.
 */
final class FrozenReference implements SeriesMethod {

    private final int warmUp;
    private final boolean maxZ;
    private final double[][] seen;
    private double[] mean;
    private double[] sd;
    private double[][] inverse;
    private int count;

    FrozenReference(int d, int warmUp, boolean maxZ) {
        this.warmUp = warmUp;
        this.maxZ = maxZ;
        this.seen = new double[warmUp][];
    }

    @Override
    public Scored score(double[] x, long time) {
        if (count < warmUp) {
            seen[count++] = x.clone();
            if (count == warmUp) {
                fit();
            }
            return Scored.WARM_UP;
        }
        int d = x.length;
        double[] z = new double[d];
        double max = 0;
        for (int i = 0; i < d; i++) {
            z[i] = (x[i] - mean[i]) / sd[i];
            max = Math.max(max, Math.abs(z[i]));
        }
        if (maxZ) {
            return new Scored(max, max > 4, null);
        }
        double t2 = 0;
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                t2 += z[i] * inverse[i][j] * z[j];
            }
        }
        return new Scored(Math.sqrt(t2), Math.sqrt(t2) > 5, null);
    }

    private void fit() {
        int d = seen[0].length;
        mean = new double[d];
        sd = new double[d];
        for (double[] v : seen) {
            for (int i = 0; i < d; i++) {
                mean[i] += v[i] / warmUp;
            }
        }
        for (double[] v : seen) {
            for (int i = 0; i < d; i++) {
                sd[i] += (v[i] - mean[i]) * (v[i] - mean[i]) / warmUp;
            }
        }
        for (int i = 0; i < d; i++) {
            sd[i] = Math.max(1e-9, Math.sqrt(sd[i]));
        }
        double[][] corr = new double[d][d];
        for (double[] v : seen) {
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) {
                    corr[i][j] += (v[i] - mean[i]) / sd[i] * (v[j] - mean[j]) / sd[j] / warmUp;
                }
            }
        }
        for (int i = 0; i < d; i++) {
            corr[i][i] += 0.01;
        }
        inverse = invert(corr);
    }

    static double[][] invert(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, m[i], 0, n);
            m[i][n + i] = 1;
        }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
                    p = r;
                }
            }
            double[] t = m[c];
            m[c] = m[p];
            m[p] = t;
            double pivot = m[c][c];
            for (int k = 0; k < 2 * n; k++) {
                m[c][k] /= pivot;
            }
            for (int r = 0; r < n; r++) {
                if (r != c) {
                    double f = m[r][c];
                    for (int k = 0; k < 2 * n; k++) {
                        m[r][k] -= f * m[c][k];
                    }
                }
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(m[i], n, inv[i], 0, n);
        }
        return inv;
    }
}
