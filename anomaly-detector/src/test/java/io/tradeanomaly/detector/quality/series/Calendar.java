package io.tradeanomaly.detector.quality.series;

/** Time of day and day of week of epoch milliseconds (UTC), and a smooth daily profile. */
final class Calendar {

    static final long MINUTE = 60_000;
    static final long HOUR = 60 * MINUTE;
    static final long DAY = 24 * HOUR;
    /** A Monday, 00:00 UTC: every generated series starts on a whole day after it. */
    static final long START = 1_767_571_200_000L; // 2026-01-05T00:00:00Z

    private Calendar() {}

    /** The fraction of the day elapsed, in [0, 1). */
    static double dayFraction(long epochMillis) {
        return Math.floorMod(epochMillis, DAY) / (double) DAY;
    }

    static boolean weekend(long epochMillis) {
        long day = Math.floorDiv(epochMillis, DAY);
        int dayOfWeek = (int) Math.floorMod(day + 3, 7); // 1970-01-01 was a Thursday: 0 = Monday
        return dayOfWeek >= 5;
    }

    /** A daily profile: up to three harmonics with random weights and phases, scaled to a peak of 1. */
    static final class Profile {
        private final double[] weights = new double[3];
        private final double[] phases = new double[3];
        private double peak = 1;

        Profile(Draw draw) {
            weights[0] = 1;
            weights[1] = draw.uniform(0, 0.5);
            weights[2] = draw.uniform(0, 0.3);
            for (int k = 0; k < 3; k++) {
                phases[k] = draw.uniform(0, 2 * Math.PI);
            }
            double max = 0;
            for (int i = 0; i < 1440; i++) {
                max = Math.max(max, Math.abs(raw(i / 1440.0)));
            }
            peak = max;
        }

        private double raw(double h) {
            double v = 0;
            for (int k = 0; k < 3; k++) {
                v += weights[k] * Math.cos(2 * Math.PI * (k + 1) * h + phases[k]);
            }
            return v;
        }

        /** The profile at a time of day, in [-1, 1]. */
        double at(long epochMillis) {
            return raw(dayFraction(epochMillis)) / peak;
        }
    }
}
