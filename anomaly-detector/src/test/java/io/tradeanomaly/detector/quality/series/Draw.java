package io.tradeanomaly.detector.quality.series;

import java.util.SplittableRandom;

/** Seeded random draws the generators share: a thin layer over {@link SplittableRandom}. */
final class Draw {

    private final SplittableRandom random;
    private double spareGaussian = Double.NaN;

    Draw(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A generator for a sub-stream (a series of a corpus): independent of how many draws the parent made since. */
    Draw child(long salt) {
        return new Draw(random.split().nextLong() ^ salt * 0x9E3779B97F4A7C15L);
    }

    double uniform() {
        return random.nextDouble();
    }

    double uniform(double min, double max) {
        return min + random.nextDouble() * (max - min);
    }

    /** Log-uniform between two positive bounds. */
    double logUniform(double min, double max) {
        return Math.exp(uniform(Math.log(min), Math.log(max)));
    }

    int integer(int min, int maxInclusive) {
        return min + random.nextInt(maxInclusive - min + 1);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    double sign() {
        return random.nextBoolean() ? 1 : -1;
    }

    <T> T pick(T[] options) {
        return options[random.nextInt(options.length)];
    }

    /** Standard normal (Marsaglia's polar method). */
    double gaussian() {
        if (!Double.isNaN(spareGaussian)) {
            double g = spareGaussian;
            spareGaussian = Double.NaN;
            return g;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * random.nextDouble() - 1;
            v = 2 * random.nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double m = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * m;
        return u * m;
    }

    /** Student's t with {@code nu} > 2 degrees of freedom, scaled to unit variance: heavier tails than a Gaussian. */
    double studentT(double nu) {
        double chi2 = 0;
        int whole = (int) Math.floor(nu);
        for (int i = 0; i < whole; i++) {
            double g = gaussian();
            chi2 += g * g;
        }
        double t = gaussian() / Math.sqrt(chi2 / whole);
        return t / Math.sqrt(whole / (whole - 2.0));
    }

    /** Poisson with mean {@code lambda} (exact below 30, normal approximation above). */
    long poisson(double lambda) {
        if (lambda <= 0) {
            return 0;
        }
        if (lambda < 30) {
            double limit = Math.exp(-lambda);
            double p = 1;
            long k = 0;
            do {
                k++;
                p *= random.nextDouble();
            } while (p > limit);
            return k - 1;
        }
        return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian()));
    }
}
