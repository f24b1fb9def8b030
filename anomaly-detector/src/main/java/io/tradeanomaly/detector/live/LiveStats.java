package io.tradeanomaly.detector.live;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.detector.settings.DetectorSettingsStore;
import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.scheduling.annotation.Scheduled;

/** Samples the detector's counters once a second and derives the page's rates from them. */
public class LiveStats {

    private static final int WINDOW_SECONDS = 60;

    private final MeterRegistry registry;
    private final DetectorSettingsStore settings;
    private final ShardLagMetrics lag;
    private final Deque<double[]> samples = new ArrayDeque<>(); // {epochSecond, scored, published}

    public LiveStats(MeterRegistry registry, DetectorSettingsStore settings, ShardLagMetrics lag) {
        this.registry = registry;
        this.settings = settings;
        this.lag = lag;
    }

    @Scheduled(fixedRate = 1000)
    public synchronized void sample() {
        samples.addLast(
                new double[] {System.currentTimeMillis() / 1000.0, count("trades.scored"), count("anomalies.published")
                });
        while (samples.size() > WINDOW_SECONDS + 1) {
            samples.removeFirst();
        }
    }

    public synchronized LiveFigures figures(PipelineFigures pipeline) {
        double[] last = samples.peekLast();
        double perSecond = 0;
        double perMinute = 0;
        if (last != null) {
            double[] tenAgo = back(10);
            double[] minuteAgo = back(WINDOW_SECONDS);
            perSecond = rate(tenAgo, last, 1) / Math.max(1, last[0] - tenAgo[0]);
            perMinute = rate(minuteAgo, last, 2) * 60 / Math.max(60, last[0] - minuteAgo[0]);
        }
        double tp = labelled("true-positive");
        double fp = labelled("false-positive");
        double fn = labelled("false-negative");
        Gauge models = registry.find("detector.models").gauge();
        return new LiveFigures(
                Math.round(perSecond * 10) / 10.0,
                Math.round(perMinute * 10) / 10.0,
                settings.threshold(),
                settings.get().method().name(),
                lag.maxMillisBehind(),
                models == null ? 0 : (long) models.value(),
                tp + fp == 0 ? null : tp / (tp + fp),
                tp + fn == 0 ? null : tp / (tp + fn),
                pipeline);
    }

    private double[] back(int seconds) {
        double[] chosen = samples.peekFirst();
        double cutoff = samples.peekLast()[0] - seconds;
        for (double[] sample : samples) {
            if (sample[0] >= cutoff) {
                return sample;
            }
            chosen = sample;
        }
        return chosen;
    }

    private static double rate(double[] from, double[] to, int index) {
        return Math.max(0, to[index] - from[index]);
    }

    private double count(String name) {
        Counter counter = registry.find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private double labelled(String outcome) {
        Counter counter = registry.find("detector.labelled.trades")
                .tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }
}
