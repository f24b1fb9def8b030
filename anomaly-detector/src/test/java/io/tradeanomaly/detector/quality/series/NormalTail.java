package io.tradeanomaly.detector.quality.series;

/** The standard normal upper tail probability Q(z) = P(Z &gt; z), accurate far out (for surprises in decades). */
final class NormalTail {

    private NormalTail() {}

    /** Q(z) via the complementary error function (Numerical Recipes' erfc approximation, relative error below 1.2e-7). */
    static double upper(double z) {
        return 0.5 * erfc(z / Math.sqrt(2));
    }

    static double erfc(double x) {
        double z = Math.abs(x);
        double t = 1 / (1 + 0.5 * z);
        double r = t
                * Math.exp(
                        -z * z
                                - 1.26551223
                                + t
                                        * (1.00002368
                                                + t
                                                        * (0.37409196
                                                                + t
                                                                        * (0.09678418
                                                                                + t
                                                                                        * (-0.18628806
                                                                                                + t
                                                                                                        * (0.27886807
                                                                                                                + t
                                                                                                                        * (-1.13520398
                                                                                                                                + t
                                                                                                                                        * (1.48851587
                                                                                                                                                + t
                                                                                                                                                        * (-0.82215223
                                                                                                                                                                + t
                                                                                                                                                                        * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }

    /** -log10 Q(z) for z &gt; 0, without underflow far out. */
    static double surprise(double z) {
        if (z <= 0) {
            return 0;
        }
        if (z < 30) {
            return -Math.log10(upper(z));
        }
        // asymptotic: Q(z) ~ phi(z) / z
        return (z * z / 2 + Math.log(z * Math.sqrt(2 * Math.PI))) / Math.log(10);
    }
}
