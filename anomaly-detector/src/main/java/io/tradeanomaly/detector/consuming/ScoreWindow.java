package io.tradeanomaly.detector.consuming;

import io.tradeanomaly.common.record.Anomaly;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.DoubleAccumulator;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the live page's score chart draws: the scores of ordinary records summarised per interval (mean and highest,
 * taken and reset by the sampler), and every published anomaly as a point, kept for a bounded time and count.
 * Thread-safe; fed by all shard processors. Warm-up verdicts are left out (their score is 0).
 */
public class ScoreWindow {

    /** One published anomaly on the chart. */
    public record Point(long epochMillis, double score, String key, String identity) {}

    /** The ordinary scores since the last {@link #takeOrdinary()}; mean and max are null when there were none. */
    public record Ordinary(long count, Double mean, Double max) {}

    private final Duration keep;
    private final int maxPoints;
    private final LongAdder count = new LongAdder();
    private final DoubleAdder sum = new DoubleAdder();
    private final DoubleAccumulator max = new DoubleAccumulator(Math::max, Double.NEGATIVE_INFINITY);
    private final Deque<Point> points = new ArrayDeque<>();

    /**
     * @param keep how long anomaly points are kept
     * @param maxPoints how many anomaly points are kept at most (the oldest go first)
     */
    public ScoreWindow(Duration keep, int maxPoints) {
        this.keep = keep;
        this.maxPoints = maxPoints;
    }

    /** A record scored and not published as an anomaly. */
    public void ordinary(double score) {
        count.increment();
        sum.add(score);
        max.accumulate(score);
    }

    /** Anomalies just published. */
    public void anomalies(Collection<Anomaly> anomalies) {
        if (anomalies.isEmpty()) {
            return;
        }
        synchronized (points) {
            for (Anomaly a : anomalies) {
                Instant at = a.detectedAt() != null ? a.detectedAt() : Instant.now();
                points.addLast(new Point(at.toEpochMilli(), a.anomalyScore(), a.key(), a.identity()));
            }
            while (points.size() > maxPoints) {
                points.removeFirst();
            }
        }
    }

    /** The ordinary scores since the previous call, and starts a new interval. */
    public Ordinary takeOrdinary() {
        long n = count.sumThenReset();
        double total = sum.sumThenReset();
        double highest = max.getThenReset();
        return n == 0 ? new Ordinary(0, null, null) : new Ordinary(n, total / n, highest);
    }

    /** The anomaly points of the last {@code keep}, oldest first. */
    public List<Point> points(Instant now) {
        long cutoff = now.minus(keep).toEpochMilli();
        synchronized (points) {
            while (!points.isEmpty() && points.peekFirst().epochMillis() < cutoff) {
                points.removeFirst();
            }
            return new ArrayList<>(points);
        }
    }
}
