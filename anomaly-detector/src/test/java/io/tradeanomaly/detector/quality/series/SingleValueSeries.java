package io.tradeanomaly.detector.quality.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Single-value series like real-world operational metrics (machine temperatures, cloud CPU, network and request
 * counts, road traffic, ad rates), each with 0 to 4 anomalies labelled at their onset, for {@link WindowedScorer}.
 *
 * <p>A series is built from components: a level (with trend, walk, shifts and drifts), a daily and weekly seasonal
 * term, and noise (autocorrelated, Gaussian or heavy-tailed, with a standard deviation that can change); then the base
 * shape turns them into values (counts are Poisson draws of a rate, heavy-tailed values the exponential of a log
 * level), some series are quantized (a reading to 0.1 or 1) or clipped at 0; and point anomalies (spikes, dips,
 * stuck values, dropouts to zero) are written over the values. A persistent change (a level shift, a drift, a lasting
 * variance change) is labelled at its onset only: afterwards the new behaviour is the normal one.
 */
final class SingleValueSeries {

    /** The normal behaviour of a series. */
    enum Base {
        /** Daily and weekly seasonality (traffic, taxi rides, request volume), non-negative. */
        SEASONAL,
        /** A stationary, autocorrelated metric around a level (cloud CPU in %), often quantized. */
        AR_NOISE,
        /** A slowly mean-reverting random walk (a temperature, a rate), may be negative. */
        RANDOM_WALK,
        /** Low counts per interval (errors, mentions): Poisson, mean 0.3 to 5, many zeros. */
        COUNTS_LOW,
        /** High counts per interval, seasonal, over-dispersed. */
        COUNTS_HIGH,
        /** A linear trend with noise. */
        TREND,
        /** Log-normal values (prices, ad rates), heavy right tail. */
        HEAVY_TAILED,
        /** A flat baseline with regular batch-job pulses: normal spikes at a fixed period. */
        PERIODIC_JOBS,
        /** A near-constant sensor reading, coarsely quantized, slowly wandering (a machine temperature). */
        STEADY_SENSOR
    }

    /** What an anomaly does. */
    enum Kind {
        SPIKE,
        DIP,
        LEVEL_SHIFT,
        VARIANCE_UP,
        FLATLINE,
        DROPOUT,
        DRIFT,
        SEASONAL_BREAK,
        BURST
    }

    private static final long[] INTERVALS = {Calendar.MINUTE, 5 * Calendar.MINUTE, Calendar.HOUR};

    private final Base base;
    private final Draw draw;
    private final int n;
    private final long interval;
    private final long[] times;
    private final double[] level;
    private final double[] seasonal;
    private final double[] sigma;
    private final boolean[] pulsesOff;
    private final double[] values;
    private final boolean nonNegative;
    private double resolution;
    private double unit;
    private int period;
    private int pulseWidth;
    private double pulseHeight;

    private SingleValueSeries(Base base, Draw draw) {
        this.base = base;
        this.draw = draw;
        double r = draw.uniform();
        this.interval = r < 0.25 ? INTERVALS[0] : r < 0.8 ? INTERVALS[1] : INTERVALS[2];
        this.n = interval == Calendar.HOUR ? draw.integer(1500, 8000) : draw.integer(2500, 10000);
        this.times = new long[n];
        long start = Calendar.START + draw.integer(0, 60) * Calendar.DAY;
        for (int t = 0; t < n; t++) {
            times[t] = start + t * interval;
        }
        this.level = new double[n];
        this.seasonal = new double[n];
        this.sigma = new double[n];
        this.pulsesOff = new boolean[n];
        this.values = new double[n];
        this.nonNegative = base != Base.RANDOM_WALK && base != Base.STEADY_SENSOR;
    }

    /**
     * One series of the given base with anomalies of the allowed kinds (those that make sense for the base).
     *
     * @param kinds the kinds to choose from (a corpus may hold some out)
     */
    static LabelledSeries generate(String key, Base base, List<Kind> kinds, Draw draw) {
        SingleValueSeries s = new SingleValueSeries(base, draw);
        s.normal();
        List<Kind> allowed = new ArrayList<>(kinds);
        allowed.retainAll(allowed(base));
        int count = anomalyCount(draw);
        List<LabelledSeries.Anomaly> anomalies = count == 0 || allowed.isEmpty() ? List.of() : s.place(count, allowed);
        List<LabelledSeries.Anomaly> componentAnomalies = new ArrayList<>();
        for (LabelledSeries.Anomaly a : anomalies) {
            componentAnomalies.add(s.applyToComponents(a));
        }
        s.render();
        List<LabelledSeries.Anomaly> applied = new ArrayList<>();
        for (LabelledSeries.Anomaly a : componentAnomalies) {
            applied.add(s.applyToValues(a));
        }
        boolean[] labels = new boolean[s.n];
        applied.forEach(a -> labels[a.start()] = true);
        double[][] values = new double[s.n][];
        for (int t = 0; t < s.n; t++) {
            values[t] = new double[] {s.values[t]};
        }
        String shape = base.name().toLowerCase(java.util.Locale.ROOT) + "@" + s.interval / Calendar.MINUTE + "m";
        return new LabelledSeries(key, shape, new String[] {"value"}, s.times, values, labels, 0, List.copyOf(applied));
    }

    static List<Kind> allowed(Base base) {
        return switch (base) {
            case SEASONAL -> List.of(Kind.values());
            case AR_NOISE ->
                List.of(
                        Kind.SPIKE,
                        Kind.DIP,
                        Kind.LEVEL_SHIFT,
                        Kind.VARIANCE_UP,
                        Kind.FLATLINE,
                        Kind.DROPOUT,
                        Kind.DRIFT,
                        Kind.BURST);
            case RANDOM_WALK ->
                List.of(Kind.SPIKE, Kind.DIP, Kind.LEVEL_SHIFT, Kind.VARIANCE_UP, Kind.FLATLINE, Kind.DRIFT);
            case COUNTS_LOW -> List.of(Kind.SPIKE, Kind.LEVEL_SHIFT, Kind.BURST, Kind.FLATLINE);
            case COUNTS_HIGH ->
                List.of(
                        Kind.SPIKE,
                        Kind.DIP,
                        Kind.LEVEL_SHIFT,
                        Kind.DROPOUT,
                        Kind.SEASONAL_BREAK,
                        Kind.BURST,
                        Kind.FLATLINE);
            case TREND -> List.of(Kind.SPIKE, Kind.DIP, Kind.LEVEL_SHIFT, Kind.VARIANCE_UP, Kind.DRIFT, Kind.DROPOUT);
            case HEAVY_TAILED -> List.of(Kind.SPIKE, Kind.DIP, Kind.LEVEL_SHIFT, Kind.VARIANCE_UP, Kind.DROPOUT);
            case PERIODIC_JOBS ->
                List.of(Kind.SPIKE, Kind.LEVEL_SHIFT, Kind.FLATLINE, Kind.DROPOUT, Kind.BURST, Kind.SEASONAL_BREAK);
            case STEADY_SENSOR ->
                List.of(Kind.SPIKE, Kind.DIP, Kind.LEVEL_SHIFT, Kind.DRIFT, Kind.VARIANCE_UP, Kind.FLATLINE);
        };
    }

    /** 0 (5 %), 1 (30 %), 2 (35 %), 3 (20 %) or 4 (10 %) anomalies. */
    private static int anomalyCount(Draw draw) {
        double r = draw.uniform();
        return r < 0.05 ? 0 : r < 0.35 ? 1 : r < 0.70 ? 2 : r < 0.90 ? 3 : 4;
    }

    private int perDay() {
        return (int) (Calendar.DAY / interval);
    }

    /** The components of the normal behaviour. */
    private void normal() {
        Calendar.Profile profile = new Calendar.Profile(draw);
        double weekendAmplitude = draw.uniform(0.4, 1.0);
        double weekendLevel = draw.uniform(0.7, 1.0);
        double l0;
        double amplitude = 0;
        double s0;
        double trendTotal = 0;
        double walkStep = 0;
        double reversion = 0;
        switch (base) {
            case SEASONAL -> {
                l0 = draw.logUniform(10, 20_000);
                amplitude = l0 * draw.uniform(0.2, 0.8);
                s0 = amplitude * draw.logUniform(0.03, 0.2);
            }
            case AR_NOISE -> {
                l0 = draw.uniform(5, 70);
                s0 = l0 * draw.logUniform(0.02, 0.2);
                resolution = draw.chance(0.5) ? draw.pick(new Double[] {0.1, 1.0}) : 0;
            }
            case RANDOM_WALK -> {
                l0 = draw.uniform(-50, 100);
                s0 = draw.logUniform(0.1, 5);
                walkStep = s0 * draw.uniform(0.05, 0.3);
                reversion = 1 / draw.uniform(200, 2000);
            }
            case COUNTS_LOW -> {
                l0 = draw.logUniform(0.3, 5);
                amplitude = draw.chance(0.5) ? l0 * draw.uniform(0, 0.8) : 0;
                s0 = Math.sqrt(l0);
            }
            case COUNTS_HIGH -> {
                l0 = draw.logUniform(30, 2000);
                amplitude = draw.chance(0.7) ? l0 * draw.uniform(0.2, 0.8) : 0;
                s0 = Math.sqrt(l0) * 1.5;
            }
            case TREND -> {
                l0 = draw.uniform(20, 500);
                s0 = l0 * draw.logUniform(0.01, 0.08);
                trendTotal = l0 * draw.uniform(0.3, 1.5) * draw.sign() * 0.5;
            }
            case HEAVY_TAILED -> {
                l0 = Math.log(draw.logUniform(0.2, 20));
                amplitude = draw.chance(0.5) ? draw.uniform(0, 0.3) : 0;
                s0 = draw.uniform(0.1, 0.5);
            }
            case PERIODIC_JOBS -> {
                l0 = draw.uniform(5, 30);
                s0 = l0 * draw.uniform(0.03, 0.1);
                period = draw.integer(24, 288);
                pulseWidth = draw.integer(1, Math.max(1, period / 6));
                pulseHeight = l0 * draw.uniform(1, 4);
            }
            case STEADY_SENSOR -> {
                l0 = draw.uniform(-20, 90);
                s0 = draw.uniform(0.2, 2);
                resolution = draw.pick(new Double[] {0.1, 0.5, 1.0});
                walkStep = s0 * 0.05;
                reversion = 1 / 2000.0;
            }
            default -> throw new IllegalStateException();
        }
        unit = s0;
        double walk = 0;
        for (int t = 0; t < n; t++) {
            walk += -reversion * walk + walkStep * draw.gaussian();
            boolean weekend = Calendar.weekend(times[t]);
            double lv = l0 * (weekend && amplitude > 0 && base != Base.HEAVY_TAILED ? weekendLevel : 1);
            level[t] = lv + trendTotal * t / n + walk;
            seasonal[t] = amplitude * (weekend ? weekendAmplitude : 1) * profile.at(times[t]);
            sigma[t] = s0;
        }
    }

    /** Chooses onsets spread over the scored part, each with room for its window. */
    private List<LabelledSeries.Anomaly> place(int count, List<Kind> allowed) {
        int window = (int) (0.1 * n / count);
        int probation = (int) Math.min(Math.floor(0.15 * n), 750);
        int first = probation + window / 2 + 1;
        int last = n - 1 - window / 2;
        double slot = (last - first) / (double) count;
        List<LabelledSeries.Anomaly> anomalies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int from = (int) (first + i * slot);
            int to = (int) (first + (i + 1) * slot) - window - 1;
            int start = to <= from ? from : draw.integer(from, to);
            Kind kind = allowed.get(draw.integer(0, allowed.size() - 1));
            anomalies.add(new LabelledSeries.Anomaly(kind.name(), start, start + 1));
        }
        return anomalies;
    }

    /** Changes level, seasonality, noise or pulses from the onset; returns the anomaly with its extent. */
    private LabelledSeries.Anomaly applyToComponents(LabelledSeries.Anomaly a) {
        Kind kind = Kind.valueOf(a.kind());
        int s = a.start();
        int end = a.end();
        boolean counts = base == Base.COUNTS_LOW || base == Base.COUNTS_HIGH;
        switch (kind) {
            case LEVEL_SHIFT -> {
                double delta = counts ? 0 : draw.sign() * draw.logUniform(3, 10) * unit;
                double factor = draw.chance(0.5) ? draw.uniform(0.3, 0.6) : draw.uniform(1.7, 3);
                for (int t = s; t < n; t++) {
                    if (counts) {
                        level[t] *= factor;
                        seasonal[t] *= factor;
                    } else {
                        level[t] += delta;
                    }
                }
                end = n;
            }
            case DRIFT -> {
                int length = draw.integer(50, 400);
                double total = draw.sign() * draw.logUniform(5, 15) * unit;
                for (int t = s; t < n; t++) {
                    level[t] += total * Math.min(1, (t - s + 1) / (double) length);
                }
                end = Math.min(n, s + length);
            }
            case VARIANCE_UP -> {
                double factor = draw.uniform(3, 6);
                end = draw.chance(0.5) ? n : Math.min(n, s + draw.integer(50, 400));
                for (int t = s; t < end; t++) {
                    sigma[t] *= factor;
                }
            }
            case SEASONAL_BREAK -> {
                end = Math.min(n, s + (base == Base.PERIODIC_JOBS ? 3 * period : draw.integer(perDay() / 2, perDay())));
                double mean = 0;
                for (int t = s; t < end; t++) {
                    mean += seasonal[t];
                }
                mean /= end - s;
                boolean invert = draw.chance(0.5);
                for (int t = s; t < end; t++) {
                    seasonal[t] = invert ? 2 * mean - seasonal[t] : mean;
                    pulsesOff[t] = true;
                }
            }
            case BURST -> {
                end = Math.min(n, s + draw.integer(3, 60));
                double factor = draw.uniform(3, 8);
                double delta = draw.sign() * draw.logUniform(3, 8) * unit;
                for (int t = s; t < end; t++) {
                    if (counts) {
                        level[t] *= factor;
                    } else {
                        level[t] += delta;
                    }
                }
            }
            default -> {
                // point anomalies are written over the values
            }
        }
        return new LabelledSeries.Anomaly(a.kind(), s, end);
    }

    /** Values from the components, by the base's shape. */
    private void render() {
        double phi = base == Base.STEADY_SENSOR ? 0.9 : draw.pick(new Double[] {0.0, 0.5, 0.8});
        boolean heavy = draw.chance(0.4);
        double noise = 0;
        double dispersion = draw.uniform(0, 0.2);
        for (int t = 0; t < n; t++) {
            double z = heavy ? draw.studentT(4) : draw.gaussian();
            noise = phi * noise + Math.sqrt(1 - phi * phi) * z;
            double v;
            switch (base) {
                case COUNTS_LOW, COUNTS_HIGH ->
                    v = draw.poisson(Math.max(0, (level[t] + seasonal[t]) * Math.exp(dispersion * noise)));
                case HEAVY_TAILED -> v = Math.exp(level[t] + seasonal[t] + sigma[t] * noise);
                case PERIODIC_JOBS ->
                    v = level[t] + sigma[t] * noise + (!pulsesOff[t] && t % period < pulseWidth ? pulseHeight : 0);
                default -> v = level[t] + seasonal[t] + sigma[t] * noise;
            }
            if (resolution > 0) {
                v = Math.round(v / resolution) * resolution;
            }
            if (nonNegative) {
                v = Math.max(0, v);
            }
            values[t] = v;
        }
    }

    /** Writes point anomalies over the values; returns the anomaly with its extent. */
    private LabelledSeries.Anomaly applyToValues(LabelledSeries.Anomaly a) {
        Kind kind = Kind.valueOf(a.kind());
        int s = a.start();
        int end = a.end();
        switch (kind) {
            case SPIKE, DIP -> {
                end = Math.min(n, s + draw.integer(1, 3));
                double m = draw.logUniform(4, 12);
                for (int t = s; t < end; t++) {
                    values[t] = switch (base) {
                        case COUNTS_LOW, COUNTS_HIGH ->
                            kind == Kind.SPIKE ? values[t] * m / 2 + m * Math.sqrt(level[t] + 1) : values[t] / m;
                        case HEAVY_TAILED -> values[t] * Math.exp((kind == Kind.SPIKE ? 1 : -1) * m * sigma[t] / 2);
                        default -> values[t] + (kind == Kind.SPIKE ? 1 : -1) * m * sigma[t];
                    };
                    if (nonNegative) {
                        values[t] = Math.max(0, values[t]);
                    }
                }
            }
            case FLATLINE -> {
                end = Math.min(n, s + draw.integer(20, 300));
                double stuck = values[s];
                Arrays.fill(values, s, end, stuck);
            }
            case DROPOUT -> {
                end = Math.min(n, s + draw.integer(1, 40));
                Arrays.fill(values, s, end, 0);
            }
            default -> {
                // component anomalies are already in the values
            }
        }
        return new LabelledSeries.Anomaly(a.kind(), s, end);
    }
}
