package io.tradeanomaly.detector.quality.series;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The four generated corpora, one per kind of held-back collection, from a seed. A <em>tuning</em> corpus leaves some
 * shapes out (single-value: the periodic-jobs base and drifts; sensor runs: leaks and stuck sensors; KPIs: success
 * ratios; servers: retransmits and dead processes); a <em>held-out</em> corpus has every shape, and is generated from
 * seeds never used for tuning: it says how a method does on what it was not tuned on.
 */
public final class Corpora {

    /** Series per corpus at size 1. */
    static final int SINGLE_VALUE = 48;

    static final int SENSOR_RUNS = 24;
    static final int KPIS = 16;
    static final int SERVERS = 4;

    private Corpora() {}

    /** All four corpora for a seed; {@code size} scales the number of series (1 = the full harness). */
    public static List<Corpus> all(long seed, boolean heldOut, double size) {
        return List.of(
                singleValue(seed, heldOut, count(SINGLE_VALUE, size)),
                sensorRuns(seed, heldOut, count(SENSOR_RUNS, size)),
                kpis(seed, heldOut, count(KPIS, size)),
                servers(seed, heldOut, count(SERVERS, size)));
    }

    private static int count(int full, double size) {
        return Math.max(2, (int) Math.round(full * size));
    }

    private static String suffix(long seed, boolean heldOut) {
        return (heldOut ? " held-out" : "") + " seed " + seed;
    }

    public static Corpus singleValue(long seed, boolean heldOut, int count) {
        List<SingleValueSeries.Base> bases = new ArrayList<>(Arrays.asList(SingleValueSeries.Base.values()));
        List<SingleValueSeries.Kind> kinds = new ArrayList<>(Arrays.asList(SingleValueSeries.Kind.values()));
        if (!heldOut) {
            bases.remove(SingleValueSeries.Base.PERIODIC_JOBS);
            kinds.remove(SingleValueSeries.Kind.DRIFT);
        }
        Draw draw = new Draw(seed * 1_000_003L + 1);
        List<LabelledSeries> series = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SingleValueSeries.Base base = bases.get(i % bases.size());
            series.add(SingleValueSeries.generate(String.format("sv-%03d", i), base, kinds, draw.child(i)));
        }
        return new Corpus("single-value" + suffix(seed, heldOut), LabelledSeries.Scoring.WINDOWED, series);
    }

    public static Corpus sensorRuns(long seed, boolean heldOut, int count) {
        List<SensorRuns.Fault> faults = new ArrayList<>(Arrays.asList(SensorRuns.Fault.values()));
        if (!heldOut) {
            faults.remove(SensorRuns.Fault.LEAK);
            faults.remove(SensorRuns.Fault.STUCK_SENSOR);
        }
        Draw draw = new Draw(seed * 1_000_003L + 2);
        List<LabelledSeries> series = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            series.add(SensorRuns.generate(String.format("run-%03d", i), faults, draw.child(i)));
        }
        return new Corpus("sensor-runs" + suffix(seed, heldOut), LabelledSeries.Scoring.SENSOR_RUNS, series);
    }

    public static Corpus kpis(long seed, boolean heldOut, int count) {
        List<KpiSeries.Kpi> kpis = new ArrayList<>(Arrays.asList(KpiSeries.Kpi.values()));
        if (!heldOut) {
            kpis.remove(KpiSeries.Kpi.SUCCESS_RATIO);
        }
        Draw draw = new Draw(seed * 1_000_003L + 3);
        List<LabelledSeries> series = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            series.add(KpiSeries.generate(String.format("kpi-%03d", i), kpis.get(i % kpis.size()), draw.child(i)));
        }
        return new Corpus("kpi" + suffix(seed, heldOut), LabelledSeries.Scoring.POINTWISE, series);
    }

    public static Corpus servers(long seed, boolean heldOut, int count) {
        List<ServerMetrics.Incident> kinds = new ArrayList<>(Arrays.asList(ServerMetrics.Incident.values()));
        if (!heldOut) {
            kinds.remove(ServerMetrics.Incident.RETRANSMITS);
            kinds.remove(ServerMetrics.Incident.PROCESS_DIED);
        }
        Draw draw = new Draw(seed * 1_000_003L + 4);
        List<LabelledSeries> series = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            series.add(ServerMetrics.generate(String.format("server-%02d", i), kinds, draw.child(i)));
        }
        return new Corpus("server" + suffix(seed, heldOut), LabelledSeries.Scoring.POINTWISE, series);
    }
}
