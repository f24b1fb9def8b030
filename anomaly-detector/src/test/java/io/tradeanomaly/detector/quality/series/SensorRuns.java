package io.tradeanomaly.detector.quality.series;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs of an industrial test rig with eight sensors (two vibration RMS, motor current, pressure, fluid temperature,
 * a thermocouple, voltage, volume flow), one run per key, sampled every second, each with one or two fault segments
 * labelled for their whole duration; the first {@value #WARM_UP} points of every run are normal and not scored.
 *
 * <p>Normal operation: a slowly varying load drives vibration, current, pressure and flow together (with different
 * gains and lags), the fluid warms over the run and the thermocouple follows it, the voltage sags a little with the
 * current; every sensor adds its own noise, the flow meter reads in whole units, and the pressure (a gauge pressure)
 * sits near zero, negative at times. A fault changes how the sensors relate while each stays within, or near, its
 * own normal range (half of them; the other half move sensors well out of it): a closing valve (flow down, pressure up, whereas normally they rise together), a leak (pressure
 * down, flow up), cavitation (vibration and pressure noise up), a rotor imbalance (one vibration channel up, not the
 * other), a drifting thermocouple, a stuck sensor. A fault may fade in over up to 30 points.
 */
final class SensorRuns {

    static final int WARM_UP = 400;
    static final String[] FEATURES = {
        "Accelerometer1RMS",
        "Accelerometer2RMS",
        "Current",
        "Pressure",
        "Temperature",
        "Thermocouple",
        "Voltage",
        "Volume Flow RateRMS"
    };

    enum Fault {
        VALVE_CLOSING,
        LEAK,
        CAVITATION,
        IMBALANCE,
        THERMOCOUPLE_DRIFT,
        STUCK_SENSOR
    }

    private static final int ACC1 = 0;
    private static final int ACC2 = 1;
    private static final int CURRENT = 2;
    private static final int PRESSURE = 3;
    private static final int TEMPERATURE = 4;
    private static final int THERMOCOUPLE = 5;
    private static final int VOLTAGE = 6;
    private static final int FLOW = 7;

    private SensorRuns() {}

    static LabelledSeries generate(String key, List<Fault> faults, Draw draw) {
        int n = draw.integer(900, 1300);
        int d = FEATURES.length;
        long[] times = new long[n];
        long start = Calendar.START + draw.integer(0, 30) * Calendar.DAY + draw.integer(8, 16) * Calendar.HOUR;
        for (int t = 0; t < n; t++) {
            times[t] = start + t * 1000L;
        }
        // sensor offsets, gains on the load, noise (all in the sensor's own units)
        double[] offset = {
            draw.uniform(0.2, 0.3),
            draw.uniform(0.25, 0.3),
            draw.uniform(1.5, 2.5),
            draw.uniform(-0.1, 0.4),
            draw.uniform(65, 90),
            draw.uniform(24, 29),
            draw.uniform(225, 235),
            draw.uniform(28, 34)
        };
        double[] gain = {
            0.01 * draw.uniform(0.5, 1.5),
            0.008 * draw.uniform(0.5, 1.5),
            0.15 * draw.uniform(0.5, 1.5),
            0.08 * draw.uniform(0.5, 1.5),
            0,
            0,
            -0.4 * draw.uniform(0.5, 1.5),
            1.2 * draw.uniform(0.5, 1.5)
        };
        double[] noise = {0.004, 0.004, 0.06, 0.03, 0.05, 0.05, 0.3, 0.4};
        for (int i = 0; i < d; i++) {
            noise[i] *= draw.uniform(0.7, 1.4);
        }
        double warming = draw.uniform(0.5, 4); // degrees over the run
        double[] loadLag = {0, 0, 0, 0.7, 0, 0, 0, 0.85}; // pressure and flow follow the load with a lag

        // the faults
        int segments = draw.chance(0.15) ? 2 : 1;
        List<LabelledSeries.Anomaly> anomalies = new ArrayList<>();
        int from = draw.integer(450, 750);
        for (int k = 0; k < segments && from < n - 60; k++) {
            int length = Math.min(n - from, draw.integer(150, 500) / segments);
            Fault fault = faults.get(draw.integer(0, faults.size() - 1));
            anomalies.add(new LabelledSeries.Anomaly(fault.name(), from, from + length));
            from = from + length + draw.integer(60, 200);
        }
        double[][] faultParams = new double[anomalies.size()][];
        for (int k = 0; k < anomalies.size(); k++) {
            faultParams[k] = new double[] {
                // magnitude in noise units: half the faults break a relation within each sensor's range (2.5 to 6),
                // half move sensors well out of it (10 to 30), as a valve closing for good does
                draw.chance(0.5) ? draw.uniform(2.5, 6) : draw.uniform(10, 30),
                draw.integer(0, 30), // fade-in points
                draw.integer(0, d - 1), // the sensor that sticks
                draw.sign()
            };
        }

        double[][] values = new double[n][d];
        double load = 0;
        double[] lagged = new double[d];
        double[] ar = new double[d];
        double setPointStep = draw.chance(0.2) ? draw.uniform(-1, 1) : 0;
        int setPointAt = draw.integer(200, n - 1);
        double[] stuckValue = new double[anomalies.size()];
        for (int t = 0; t < n; t++) {
            load = 0.98 * load + Math.sqrt(1 - 0.98 * 0.98) * draw.gaussian();
            double operating = load + (t >= setPointAt ? setPointStep : 0);
            double temperature = offset[TEMPERATURE] + warming * t / n;
            double[] v = new double[d];
            double[] extraNoise = new double[d];
            java.util.Arrays.fill(extraNoise, 1);
            double[] shift = new double[d];
            for (int k = 0; k < anomalies.size(); k++) {
                LabelledSeries.Anomaly a = anomalies.get(k);
                if (t < a.start() || t >= a.end()) {
                    continue;
                }
                double fade = Math.min(1, (t - a.start() + 1) / (faultParams[k][1] + 1));
                double m = faultParams[k][0] * fade;
                switch (Fault.valueOf(a.kind())) {
                    case VALVE_CLOSING -> {
                        shift[FLOW] -= m * noise[FLOW];
                        shift[PRESSURE] += m * noise[PRESSURE];
                    }
                    case LEAK -> {
                        shift[PRESSURE] -= m * noise[PRESSURE];
                        shift[FLOW] += 0.6 * m * noise[FLOW];
                    }
                    case CAVITATION -> {
                        extraNoise[ACC1] = 1 + m / 2;
                        extraNoise[ACC2] = 1 + m / 2;
                        extraNoise[PRESSURE] = 1 + m / 3;
                    }
                    case IMBALANCE -> {
                        shift[ACC1] += m * noise[ACC1];
                        shift[CURRENT] += 0.3 * m * noise[CURRENT];
                    }
                    case THERMOCOUPLE_DRIFT ->
                        shift[THERMOCOUPLE] += faultParams[k][3]
                                * 2
                                * m
                                * noise[THERMOCOUPLE]
                                * (t - a.start())
                                / (double) (a.end() - a.start());
                    case STUCK_SENSOR -> {
                        // applied below
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                lagged[i] = loadLag[i] * lagged[i] + (1 - loadLag[i]) * operating;
                ar[i] = 0.6 * ar[i] + 0.8 * draw.gaussian();
            }
            v[ACC1] = offset[ACC1] + gain[ACC1] * lagged[ACC1] + noise[ACC1] * extraNoise[ACC1] * ar[ACC1];
            v[ACC2] = offset[ACC2]
                    + gain[ACC2] * lagged[ACC2]
                    + noise[ACC2] * extraNoise[ACC2] * (0.6 * ar[ACC1] + 0.8 * ar[ACC2]);
            v[CURRENT] = offset[CURRENT] + gain[CURRENT] * lagged[CURRENT] + noise[CURRENT] * ar[CURRENT];
            v[PRESSURE] = offset[PRESSURE]
                    + gain[PRESSURE] * lagged[PRESSURE]
                    + noise[PRESSURE] * extraNoise[PRESSURE] * ar[PRESSURE];
            v[TEMPERATURE] = temperature + noise[TEMPERATURE] * ar[TEMPERATURE];
            v[THERMOCOUPLE] = offset[THERMOCOUPLE]
                    + 0.3 * (temperature - offset[TEMPERATURE])
                    + noise[THERMOCOUPLE] * ar[THERMOCOUPLE];
            v[VOLTAGE] = offset[VOLTAGE] + gain[VOLTAGE] * lagged[VOLTAGE] + noise[VOLTAGE] * ar[VOLTAGE];
            v[FLOW] = offset[FLOW] + gain[FLOW] * lagged[FLOW] + noise[FLOW] * ar[FLOW];
            for (int i = 0; i < d; i++) {
                v[i] += shift[i];
            }
            v[FLOW] = Math.round(v[FLOW]);
            v[TEMPERATURE] = Math.round(v[TEMPERATURE] * 100) / 100.0;
            for (int k = 0; k < anomalies.size(); k++) {
                LabelledSeries.Anomaly a = anomalies.get(k);
                if (Fault.valueOf(a.kind()) == Fault.STUCK_SENSOR && t >= a.start() && t < a.end()) {
                    int sensor = (int) faultParams[k][2];
                    if (t == a.start()) {
                        stuckValue[k] = v[sensor];
                    }
                    v[sensor] = stuckValue[k];
                }
            }
            values[t] = v;
        }
        boolean[] labels = new boolean[n];
        for (LabelledSeries.Anomaly a : anomalies) {
            for (int t = a.start(); t < a.end(); t++) {
                labels[t] = true;
            }
        }
        String shape = anomalies.isEmpty() ? "normal" : anomalies.get(0).kind().toLowerCase(java.util.Locale.ROOT);
        return new LabelledSeries(key, shape, FEATURES.clone(), times, values, labels, WARM_UP, List.copyOf(anomalies));
    }
}
