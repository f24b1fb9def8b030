package io.tradeanomaly.detector.quality.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Production KPI series (request rates, crash counts, latencies, success ratios), per minute or per hour, with short
 * anomalous segments labelled point by point and some values missing (single points and gaps), scored with one
 * threshold for every key.
 */
final class KpiSeries {

    enum Kpi {
        /** Requests per interval: strongly seasonal, multiplicative noise. */
        REQUESTS,
        /** Crashes per interval: low counts, following traffic. */
        CRASHES,
        /** Latency in milliseconds: log-normal around a level that rises with traffic. */
        LATENCY,
        /** A success ratio just below 1 (bounded above), dipping a little with traffic. */
        SUCCESS_RATIO
    }

    enum Kind {
        SPIKE,
        DIP,
        SHIFT,
        BURST,
        NOISY
    }

    private KpiSeries() {}

    static LabelledSeries generate(String key, Kpi kpi, Draw draw) {
        boolean hourly = draw.chance(0.4);
        long interval = hourly ? Calendar.HOUR : Calendar.MINUTE;
        int n = hourly ? draw.integer(2000, 4000) : draw.integer(8000, 16000);
        long start = Calendar.START + draw.integer(0, 60) * Calendar.DAY;
        long[] times = new long[n];
        for (int t = 0; t < n; t++) {
            times[t] = start + t * interval;
        }
        Calendar.Profile profile = new Calendar.Profile(draw);
        double amplitude = draw.uniform(0.3, 0.8);
        double weekend = draw.uniform(0.5, 1);
        double[] traffic = new double[n]; // relative traffic, mean about 1
        double walk = 0;
        for (int t = 0; t < n; t++) {
            walk = 0.999 * walk + 0.01 * draw.gaussian();
            traffic[t] = Math.max(
                    0.05,
                    (1 + amplitude * profile.at(times[t]))
                            * (Calendar.weekend(times[t]) ? weekend : 1)
                            * Math.exp(walk));
        }
        // anomalous segments, about 1-3 % of the points, after the first tenth
        List<LabelledSeries.Anomaly> anomalies = new ArrayList<>();
        double[] effect = new double[n]; // in the KPI's noise units, signed
        double[] noiseFactor = new double[n];
        Arrays.fill(noiseFactor, 1);
        int target = (int) (n * draw.uniform(0.01, 0.03));
        int labelled = 0;
        int t0 = n / 10;
        while (labelled < target) {
            int length = draw.chance(0.4) ? draw.integer(1, 3) : draw.integer(4, 40);
            int s = draw.integer(t0, n - length - 1);
            boolean overlaps = anomalies.stream().anyMatch(a -> s < a.end() + 10 && s + length + 10 > a.start());
            if (overlaps) {
                continue;
            }
            Kind kind = draw.pick(Kind.values());
            double m = draw.logUniform(3, 12) * (kind == Kind.DIP ? -1 : kind == Kind.SPIKE ? 1 : draw.sign());
            for (int t = s; t < s + length; t++) {
                switch (kind) {
                    case NOISY -> noiseFactor[t] = Math.abs(m) / 1.5;
                    case BURST -> effect[t] = m * Math.sin(Math.PI * (t - s + 0.5) / length);
                    default -> effect[t] = m;
                }
            }
            anomalies.add(new LabelledSeries.Anomaly(kind.name(), s, s + length));
            labelled += length;
        }
        double[][] values = new double[n][1];
        double scale = draw.logUniform(10, 10_000);
        double noise = 0;
        double phi = draw.uniform(0, 0.7);
        for (int t = 0; t < n; t++) {
            noise = phi * noise + Math.sqrt(1 - phi * phi) * draw.gaussian();
            double z = noise * noiseFactor[t];
            values[t][0] = switch (kpi) {
                case REQUESTS -> Math.max(0, Math.round(scale * traffic[t] * Math.exp(0.05 * (z + effect[t]))));
                case CRASHES ->
                    draw.poisson(Math.max(0, 0.02 * Math.sqrt(scale) * traffic[t] * Math.exp(0.4 * effect[t])));
                case LATENCY ->
                    Math.round((20 + 0.02 * scale * (0.5 + traffic[t])) * Math.exp(0.08 * z + 0.12 * effect[t]) * 10)
                            / 10.0;
                case SUCCESS_RATIO ->
                    Math.min(
                            1,
                            1
                                    - 0.002 * traffic[t] * Math.exp(0.3 * z)
                                    - 0.002 * Math.max(-0.5, effect[t]) * Math.abs(effect[t]));
            };
        }
        boolean[] labels = new boolean[n];
        for (LabelledSeries.Anomaly a : anomalies) {
            for (int t = a.start(); t < a.end(); t++) {
                labels[t] = true;
            }
        }
        // missing values: about 0.5 % single points and up to three gaps of 5 to 60 points
        int singles = (int) (n * draw.uniform(0, 0.01));
        for (int i = 0; i < singles; i++) {
            values[draw.integer(0, n - 1)][0] = Double.NaN;
        }
        int gaps = draw.integer(0, 3);
        for (int g = 0; g < gaps; g++) {
            int s = draw.integer(0, n - 61);
            int length = draw.integer(5, 60);
            for (int t = s; t < s + length; t++) {
                values[t][0] = Double.NaN;
            }
        }
        String shape = kpi.name().toLowerCase(java.util.Locale.ROOT) + (hourly ? "@60m" : "@1m");
        anomalies.sort(java.util.Comparator.comparingInt(LabelledSeries.Anomaly::start));
        return new LabelledSeries(key, shape, new String[] {"value"}, times, values, labels, 0, List.copyOf(anomalies));
    }
}
