package io.tradeanomaly.detector.scoring;

/** Surprise in decades: -log10 of a tail probability, from calibrated (standard normal) deviations. */
final class Surprises {

    private static final double LN10 = Math.log(10);

    private Surprises() {}

    /** -log10 P(|Z| &ge; |c|): how surprising a calibrated deviation is, two-sided. */
    static double twoSided(double c) {
        double a = Math.abs(c);
        return a == 0 ? 0 : -(Math.log(2) + NormalScores.logUpperTail(a)) / LN10;
    }

    /** The surprise of the most surprising of {@code tests} equally likely tests (Bonferroni), at least 0. */
    static double ofMost(double most, int tests) {
        return Math.max(0, most - Math.log10(tests));
    }
}
