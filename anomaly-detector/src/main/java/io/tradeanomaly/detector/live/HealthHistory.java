package io.tradeanomaly.detector.live;

import io.tradeanomaly.detector.consuming.ScoreWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The pipeline's recent samples and the series the live page draws from them: rates from counter differences (a
 * counter that went down, a restarted service, gives no rate rather than a negative one), anomalies counted from the
 * window's start, lags, the threshold and the ordinary scores. Remote services' rates use the times of their own
 * readings. Pure; thread-safe.
 */
public class HealthHistory {

    /**
     * One sample.
     *
     * @param at when it was taken
     * @param scored this detector's {@code trades_scored_total}
     * @param published this detector's {@code anomalies_published_total}
     * @param detectorLagMillis this detector's highest lag over its shards
     * @param threshold the threshold then
     * @param ordinary the ordinary scores since the previous sample
     * @param producer the producer's last fresh reading, null when it did not answer
     * @param archiver the archiver's last fresh reading, null when it did not answer
     */
    public record Sample(
            Instant at,
            double scored,
            double published,
            long detectorLagMillis,
            double threshold,
            ScoreWindow.Ordinary ordinary,
            RemoteMetrics.Reading producer,
            RemoteMetrics.Reading archiver) {}

    static final String PRODUCED = "trades_produced_total";
    static final String ARCHIVED = "anomalies_archived_total";
    static final String OBJECTS = "archive_objects_written_total";
    static final String LAG = "kcl_millis_behind_latest";

    private static final Duration TRADE_RATE_OVER = Duration.ofSeconds(10);
    private static final Duration KEPT_BEFORE_WINDOW = Duration.ofMinutes(1);

    private final Duration interval;
    private final Duration window;
    private final List<Sample> samples = new ArrayList<>();

    /**
     * @param interval time between samples (for the page's axis)
     * @param window how far back the series go
     */
    public HealthHistory(Duration interval, Duration window) {
        this.interval = interval;
        this.window = window;
    }

    public synchronized void add(Sample sample) {
        samples.add(sample);
        // a minute more than the window, for the rates at its start
        Instant oldest = sample.at().minus(window).minus(KEPT_BEFORE_WINDOW);
        samples.removeIf(s -> s.at().isBefore(oldest));
    }

    /** The newest sample, null before the first. */
    public synchronized Sample last() {
        return samples.isEmpty() ? null : samples.get(samples.size() - 1);
    }

    /** Trades the producer put per second lately; null when it did not answer. */
    public synchronized Double producedPerSecond() {
        return samples.isEmpty() ? null : remoteRate(samples.size() - 1, Sample::producer, PRODUCED, TRADE_RATE_OVER);
    }

    /** The series of the window, with the anomaly points given. */
    public synchronized HealthSeries series(List<ScoreWindow.Point> points) {
        List<Long> times = new ArrayList<>();
        List<Double> produced = new ArrayList<>();
        List<Double> scored = new ArrayList<>();
        List<Double> published = new ArrayList<>();
        List<Double> archived = new ArrayList<>();
        List<Double> detectorLag = new ArrayList<>();
        List<Double> archiverLag = new ArrayList<>();
        List<Double> threshold = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> highest = new ArrayList<>();
        Instant from = samples.isEmpty() ? Instant.MAX : last().at().minus(window);
        Sample previous = null;
        double publishedSum = 0;
        Double archivedSum = null;
        RemoteMetrics.Reading previousArchiver = null;
        for (int i = 0; i < samples.size(); i++) {
            Sample s = samples.get(i);
            if (s.at().isBefore(from)) {
                continue;
            }
            times.add(s.at().getEpochSecond());
            produced.add(round(remoteRate(i, Sample::producer, PRODUCED, TRADE_RATE_OVER)));
            scored.add(round(localRate(i, Sample::scored, TRADE_RATE_OVER)));
            publishedSum += previous == null ? 0 : growth(previous.published(), s.published());
            published.add(publishedSum);
            Double archivedNow = s.archiver() == null ? null : s.archiver().value(ARCHIVED);
            if (archivedNow != null) {
                Double before = previousArchiver == null ? null : previousArchiver.value(ARCHIVED);
                archivedSum =
                        (archivedSum == null ? 0 : archivedSum) + (before == null ? 0 : growth(before, archivedNow));
                previousArchiver = s.archiver();
            }
            archived.add(archivedNow == null ? null : archivedSum);
            previous = s;
            detectorLag.add(s.detectorLagMillis() / 1000.0);
            Double remoteLag = s.archiver() == null ? null : s.archiver().value(LAG);
            archiverLag.add(remoteLag == null ? null : remoteLag / 1000.0);
            threshold.add(s.threshold());
            mean.add(round(s.ordinary().mean()));
            highest.add(round(s.ordinary().max()));
        }
        return new HealthSeries(
                (int) interval.toSeconds(),
                (int) window.toSeconds(),
                times,
                produced,
                scored,
                published,
                archived,
                detectorLag,
                archiverLag,
                threshold,
                mean,
                highest,
                new HealthSeries.Points(
                        points.stream().map(ScoreWindow.Point::epochMillis).toList(),
                        points.stream().map(ScoreWindow.Point::score).toList(),
                        points.stream().map(ScoreWindow.Point::key).toList(),
                        points.stream().map(ScoreWindow.Point::identity).toList()));
    }

    /** Per second, between sample i and the newest sample at least {@code over} older (or the oldest there is). */
    private Double localRate(int i, java.util.function.ToDoubleFunction<Sample> counter, Duration over) {
        int j = earlier(i, over);
        if (j < 0) {
            return null;
        }
        return rate(
                counter.applyAsDouble(samples.get(j)),
                samples.get(j).at(),
                counter.applyAsDouble(samples.get(i)),
                samples.get(i).at());
    }

    private Double remoteRate(int i, Function<Sample, RemoteMetrics.Reading> reading, String metric, Duration over) {
        int j = earlier(i, over);
        if (j < 0) {
            return null;
        }
        // the oldest answer in the span: a service that just came (back) gives a rate over what it answered
        while (j < i - 1 && reading.apply(samples.get(j)) == null) {
            j++;
        }
        RemoteMetrics.Reading from = reading.apply(samples.get(j));
        RemoteMetrics.Reading to = reading.apply(samples.get(i));
        if (from == null || to == null || from.value(metric) == null || to.value(metric) == null) {
            return null;
        }
        return rate(from.value(metric), from.at(), to.value(metric), to.at());
    }

    private int earlier(int i, Duration over) {
        if (i == 0) {
            return -1;
        }
        Instant target = samples.get(i).at().minus(over);
        int j = i - 1;
        while (j > 0 && samples.get(j).at().isAfter(target)) {
            j--;
        }
        return j;
    }

    private static Double rate(double from, Instant fromAt, double to, Instant toAt) {
        double seconds = Duration.between(fromAt, toAt).toMillis() / 1000.0;
        if (seconds <= 0 || to < from) {
            return null;
        }
        return (to - from) / seconds;
    }

    /** What a counter added; a counter that went down (its service restarted) added what it holds now. */
    private static double growth(double before, double now) {
        return now >= before ? now - before : now;
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 1000) / 1000.0;
    }
}
