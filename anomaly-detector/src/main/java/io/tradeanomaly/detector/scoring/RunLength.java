package io.tradeanomaly.detector.scoring;

/**
 * How surprising the current run of exactly repeated values of one feature is: a flat-line (a stuck sensor, a frozen
 * export, a count stuck at zero), which a test of how far a value lies from its level never sees. Learnt from the
 * feature's own history: how often a change is followed by a repeat (a run starts), and the lengths of its last
 * {@value #RUNS} runs, so that a quantized or idle feature whose values often repeat finds its own runs normal while a
 * continuous feature's first repeats are already rare. The surprise of a run of {@code L} repeats is {@code -log10(P(a
 * run starts) * P(a run lasts at least L))}, the second from the learnt lengths (beyond the longest learnt it falls off
 * geometrically with the runs' mean length; with no run learnt yet, each repeat is as unlikely as a start). A run is
 * learnt only once it ends, so that it does not make itself normal while it lasts. Like a lasting change of level, a
 * run that lasts beyond {@code adoptAfter} repeats is the new normal: it scores 0 from then on (a point-wise judgement
 * would flag every record of a sensor stuck for a day). Not thread-safe.
 */
final class RunLength {

    /** Completed runs whose lengths are kept. */
    static final int RUNS = 255;
    /** Changes seen before a run is judged. */
    static final int MINIMUM = 32;

    private final int memory;
    private final int adoptAfter;
    private final double decay;
    /** Changes (values differing from the one before) seen, exponentially weighted over {@code memory} of them. */
    private double changes;
    /** How many of those changes a run followed, weighted alike. */
    private double starts;

    private final RollingWindow lengths = new RollingWindow(RUNS);
    private double last = Double.NaN;
    private int run;
    /** Whether the current run has been surprising (at least {@code stuckFrom} decades) at any point. */
    private boolean stuck;

    private final double stuckFrom;

    /**
     * @param memory how many changes the start probability remembers; a run longer than that is not learnt
     * @param adoptAfter repeats after which a run is the new normal
     * @param stuckFrom decades of surprise from which a run counts as stuck until it ends ({@link #stuck})
     */
    RunLength(int memory, int adoptAfter, double stuckFrom) {
        this.memory = memory;
        this.adoptAfter = adoptAfter;
        this.stuckFrom = stuckFrom;
        this.decay = 1 - 1.0 / memory;
    }

    /** Follows the feature with a value; returns the surprise (decades) of the run it continues, 0 for a change. */
    double observe(double x) {
        boolean repeat = x == last;
        last = x;
        if (!repeat) {
            if (run == 0) {
                changes = changes * decay + 1;
                starts *= decay;
            } else if (run <= memory) {
                changes = changes * decay + 1;
                starts = starts * decay + 1;
                lengths.add(run);
            }
            run = 0;
            stuck = false;
            return 0;
        }
        run++;
        double surprise = surprise();
        stuck |= surprise >= stuckFrom;
        return surprise;
    }

    /**
     * Whether the feature is stuck: its current run was surprising at some point, adopted since or not. Its values are
     * then no evidence of its level or scale (a sensor stuck for a day would otherwise shrink its scale to nothing and
     * the first record after it would look like the end of the world).
     */
    boolean stuck() {
        return stuck;
    }

    /** The surprise of the current run (0 while there is none, while too little is known, and once it is adopted). */
    private double surprise() {
        if (run == 0 || changes < MINIMUM || run > adoptAfter) {
            return 0;
        }
        double start = (starts + 1) / (changes + 2);
        int known = lengths.size();
        double longest = known == 0 ? 1 : lengths.max();
        double lasting;
        if (run <= longest) {
            lasting = (lengths.countAtLeast(run) + 1.0) / (known + 1);
        } else {
            // each further repeat as likely as the runs' mean length says, or, with no run learnt yet, as a start
            double further = known == 0 ? start : Math.exp(-1 / lengths.mean());
            lasting = Math.pow(further, run - longest) / (known + 1);
        }
        return -Math.log10(start * Math.min(1, lasting));
    }

    /** For snapshots: {changes, starts, last value, current run, stuck}, then the learnt lengths (oldest first). */
    double[][] state() {
        return new double[][] {{changes, starts, last, run, stuck ? 1 : 0}, lengths.values()};
    }

    void restore(double[][] state) {
        changes = state[0][0];
        starts = state[0][1];
        last = state[0][2];
        run = (int) state[0][3];
        stuck = state[0][4] != 0;
        lengths.restore(state[1]);
    }
}
