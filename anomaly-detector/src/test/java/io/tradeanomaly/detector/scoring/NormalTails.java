package io.tradeanomaly.detector.scoring;

/** Test-scope access to the detector's own normal tail ({@link NormalScores}) for the time-series harness. */
public final class NormalTails {

    private NormalTails() {}

    /** -log10 P(Z &gt; z) for z &ge; 0: how surprising an upper tail this far out is, in decades. */
    public static double upperDecades(double z) {
        return -NormalScores.logUpperTail(z) / Math.log(10);
    }
}
