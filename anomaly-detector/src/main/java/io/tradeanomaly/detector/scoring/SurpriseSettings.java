package io.tradeanomaly.detector.scoring;

import java.util.Arrays;

/**
 * The constants of a {@link SurpriseModel} (docs/quality.md, "Time series", says how each was chosen and what the
 * alternatives measured). The verdict threshold is not among them: it is the detector's runtime threshold, in decades.
 *
 * @param levelWindows the three level windows (records) of each feature's scale: the shortest sets how fast a lasting
 *     change becomes the new level (about half of it), the longest how steady a steady level is
 * @param learnWithin a record is learnt into the features' shapes only when each calibrated deviation is within this
 *     many normal deviations: 10, so that what recurs (a nightly job, a weekly peak) becomes normal by how often it
 *     recurs (a bound of 3.5 scored 0 on one-value series with such patterns), while a record no normal process
 *     produces (a tail probability below 10^-23) never widens the tail and blinds the model to the next one
 *     (docs/detector.md, "Time series")
 * @param logarithmic whether a feature whose first {@code decideAfter} records are all positive is modelled on a log
 *     scale (else every feature is modelled as it comes)
 * @param decideAfter records after which each feature's scale is chosen
 * @param outputAfter records before the first verdict (they score 0)
 * @param relations whether keys with two or more features also get the relation model
 * @param relationMemory records the relation model's mean and covariance remember (exponential weights)
 * @param relationSpan span (records) of the smoothed relation residuals: a persistent small break adds up over it
 * @param adoptAfter records a relation change must persist before the relation model learns it as normal
 * @param relationLearnWithin a record is learnt into the relation model only when its relation residuals (point and
 *     smoothed) are within this many normal deviations
 */
public record SurpriseSettings(
        int[] levelWindows,
        double learnWithin,
        boolean logarithmic,
        int decideAfter,
        int outputAfter,
        boolean relations,
        int relationMemory,
        int relationSpan,
        int adoptAfter,
        double relationLearnWithin) {

    /** The default verdict threshold of the surprise method: a record one in 10,000 under its key's recent normal. */
    public static final double DEFAULT_THRESHOLD = 4;

    public SurpriseSettings {
        levelWindows = levelWindows.clone();
        if (levelWindows.length != 3 || decideAfter < 1 || outputAfter < decideAfter) {
            throw new IllegalArgumentException("bad surprise settings");
        }
    }

    /** The method's constants. */
    public static SurpriseSettings defaults() {
        return new SurpriseSettings(new int[] {63, 255, 1023}, 10, true, 32, 128, true, 4096, 16, 512, 3.5);
    }

    /** The same settings with another warm-up ({@code detector.output-after}). */
    public SurpriseSettings withOutputAfter(int records) {
        return new SurpriseSettings(
                levelWindows,
                learnWithin,
                logarithmic,
                Math.min(decideAfter, records),
                records,
                relations,
                relationMemory,
                relationSpan,
                adoptAfter,
                relationLearnWithin);
    }

    @Override
    public int[] levelWindows() {
        return levelWindows.clone();
    }

    /** The settings as one line, for the snapshots' shaping settings. */
    String describe() {
        return Arrays.toString(levelWindows) + "/" + learnWithin + "/" + logarithmic + "/" + decideAfter + "/"
                + outputAfter + "/" + relations + "/" + relationMemory + "/" + relationSpan + "/" + adoptAfter + "/"
                + relationLearnWithin;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SurpriseSettings s && describe().equals(s.describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return "SurpriseSettings[" + describe() + "]";
    }
}
