package io.tradeanomaly.detector.quality.series;

import java.util.ArrayList;
import java.util.List;

/**
 * Nineteen metrics of an application server every five minutes, one server per key: {@value #HISTORY_DAYS} days of
 * normal history, then {@value #TEST_DAYS} days with labelled incidents (scored point-wise, from the end of the
 * history on). A daily and weekly load drives CPU, load averages, disk and network traffic, connections, context
 * switches and latency; memory grows slowly and drops at a weekly restart (normal); the process count barely moves.
 * An incident changes a few metrics for 2 to 60 points: a CPU hog, a network flood, a memory leak, a disk stall, a
 * latency regression alone, retransmissions, a process that died (traffic and CPU fall).
 */
final class ServerMetrics {

    static final int HISTORY_DAYS = 30;
    static final int TEST_DAYS = 14;
    static final String[] FEATURES = {
        "cpu.user",
        "cpu.system",
        "cpu.iowait",
        "load.1m",
        "load.5m",
        "load.15m",
        "mem.used",
        "mem.cache",
        "disk.read",
        "disk.write",
        "disk.util",
        "net.in",
        "net.out",
        "tcp.connections",
        "tcp.retransmits",
        "processes",
        "context.switches",
        "interrupts",
        "http.latency"
    };

    enum Incident {
        CPU_HOG,
        NETWORK_FLOOD,
        MEMORY_LEAK,
        DISK_STALL,
        LATENCY_ONLY,
        RETRANSMITS,
        PROCESS_DIED
    }

    private ServerMetrics() {}

    static LabelledSeries generate(String key, List<Incident> kinds, Draw draw) {
        long interval = 5 * Calendar.MINUTE;
        int perDay = (int) (Calendar.DAY / interval);
        int history = HISTORY_DAYS * perDay;
        int n = history + TEST_DAYS * perDay;
        long start = Calendar.START + draw.integer(0, 30) * Calendar.DAY;
        Calendar.Profile profile = new Calendar.Profile(draw);
        double amplitude = draw.uniform(0.3, 0.7);
        double weekendLoad = draw.uniform(0.3, 0.9);
        double capacity = draw.uniform(0.8, 2); // how busy this server is
        int cores = draw.pick(new Integer[] {4, 8, 16});
        double memBase = draw.uniform(30, 50);
        double memGrowth = draw.uniform(5, 25); // % per week
        int restartDay = draw.integer(0, 6);

        List<LabelledSeries.Anomaly> incidents = new ArrayList<>();
        int count = draw.integer(6, 10);
        double slot = (n - history) / (double) count;
        for (int i = 0; i < count; i++) {
            int length = draw.chance(0.3) ? draw.integer(2, 6) : draw.integer(7, 60);
            int s = history + (int) (i * slot) + draw.integer(0, (int) slot - length - 1);
            incidents.add(new LabelledSeries.Anomaly(
                    kinds.get(draw.integer(0, kinds.size() - 1)).name(), s, s + length));
        }
        double[] magnitude = new double[count];
        for (int i = 0; i < count; i++) {
            magnitude[i] = draw.uniform(0.5, 1.5);
        }

        long[] times = new long[n];
        double[][] values = new double[n][FEATURES.length];
        double walk = 0;
        double load1 = 0;
        double load5 = 0;
        double load15 = 0;
        double mem = memBase;
        double leak = 0;
        for (int t = 0; t < n; t++) {
            times[t] = start + t * interval;
            walk = 0.995 * walk + 0.03 * draw.gaussian();
            double busy = Math.max(
                    0.02,
                    capacity
                            * 0.5
                            * (1 + amplitude * profile.at(times[t]))
                            * (Calendar.weekend(times[t]) ? weekendLoad : 1)
                            * Math.exp(walk + 0.08 * draw.gaussian()));
            long day = Math.floorDiv(times[t], Calendar.DAY);
            boolean restart =
                    Math.floorMod(day, 7) == restartDay && Math.floorMod(times[t], Calendar.DAY) == 3 * Calendar.HOUR;
            mem = restart ? memBase : mem + memGrowth / (7.0 * perDay);
            double cpuHog = 0;
            double flood = 1;
            double stall = 0;
            double latencyFactor = 1;
            double retrans = 1;
            double died = 1;
            for (int i = 0; i < count; i++) {
                LabelledSeries.Anomaly a = incidents.get(i);
                if (t < a.start() || t >= a.end()) {
                    if (t == a.end() && a.kind().equals(Incident.MEMORY_LEAK.name())) {
                        leak = 0; // the leaking process is restarted
                    }
                    continue;
                }
                double m = magnitude[i];
                switch (Incident.valueOf(a.kind())) {
                    case CPU_HOG -> cpuHog = 40 * m;
                    case NETWORK_FLOOD -> flood = 1 + 3 * m;
                    case MEMORY_LEAK -> leak += 30 * m / (a.end() - a.start());
                    case DISK_STALL -> stall = m;
                    case LATENCY_ONLY -> latencyFactor = 1 + 1.5 * m;
                    case RETRANSMITS -> retrans = 1 + 10 * m;
                    case PROCESS_DIED -> died = 0.1;
                }
            }
            double work = busy * died;
            double cpuUser = clamp(4 + 45 * work + cpuHog + 2 * draw.gaussian(), 0, 100);
            double cpuSystem = clamp(1.5 + 10 * work * flood + 0.8 * draw.gaussian(), 0, 100);
            double disk = work * Math.exp(0.3 * draw.gaussian());
            double cpuIowait = clamp(0.5 + 2 * disk + 30 * stall + 0.3 * Math.abs(draw.gaussian()), 0, 100);
            double runnable = cores * (cpuUser + cpuSystem + cpuIowait) / 100 + 0.3 * Math.abs(draw.gaussian());
            load1 = 0.6 * load1 + 0.4 * runnable;
            load5 = 0.8 * load5 + 0.2 * load1;
            load15 = 0.93 * load15 + 0.07 * load5;
            double memUsed = clamp(mem + leak + 0.3 * draw.gaussian(), 0, 100);
            double memCache = clamp(90 - memUsed - 5 + 2 * draw.gaussian(), 0, 100);
            double diskRead =
                    Math.max(0, 2000 * disk * (1 - 0.8 * stall / (1 + stall)) * Math.exp(0.2 * draw.gaussian()));
            double diskWrite = Math.max(0, 800 * work * Math.exp(0.4 * draw.gaussian()));
            double diskUtil = clamp(5 + 30 * disk + 60 * stall + 2 * draw.gaussian(), 0, 100);
            double netIn = 5000 * work * flood * Math.exp(0.15 * draw.gaussian());
            double netOut = 1.8 * 5000 * work * Math.exp(0.15 * draw.gaussian());
            double connections = draw.poisson(300 * work * (1 + 0.5 * (flood - 1)));
            double retransmits = draw.poisson((0.3 + 1.5 * work) * retrans);
            double processes = Math.round(180 + (died < 1 ? -12 : 0) + 1.5 * draw.gaussian());
            double ctx = 3000 + 9000 * work * flood + 300 * draw.gaussian();
            double interrupts = 2000 + 6000 * work * flood + 200 * draw.gaussian();
            double latency = (25 + 40 * work * work + 300 * stall) * latencyFactor * Math.exp(0.12 * draw.gaussian());
            values[t] = new double[] {
                round(cpuUser, 0.1),
                round(cpuSystem, 0.1),
                round(cpuIowait, 0.1),
                round(load1, 0.01),
                round(load5, 0.01),
                round(load15, 0.01),
                round(memUsed, 0.1),
                round(memCache, 0.1),
                Math.round(diskRead),
                Math.round(diskWrite),
                round(diskUtil, 0.1),
                Math.round(netIn),
                Math.round(netOut),
                connections,
                retransmits,
                processes,
                Math.round(ctx),
                Math.round(interrupts),
                round(latency, 0.1)
            };
        }
        boolean[] labels = new boolean[n];
        for (LabelledSeries.Anomaly a : incidents) {
            for (int t = a.start(); t < a.end(); t++) {
                labels[t] = true;
            }
        }
        return new LabelledSeries(
                key, "server", FEATURES.clone(), times, values, labels, history, List.copyOf(incidents));
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }

    private static double round(double v, double resolution) {
        return Math.round(v / resolution) * resolution;
    }
}
