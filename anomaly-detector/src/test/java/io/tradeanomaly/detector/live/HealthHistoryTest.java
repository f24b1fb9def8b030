package io.tradeanomaly.detector.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.detector.consuming.ScoreWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthHistoryTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final ScoreWindow.Ordinary SCORES = new ScoreWindow.Ordinary(100, 0.7, 2.5);

    private final HealthHistory history = new HealthHistory(Duration.ofSeconds(5), Duration.ofMinutes(10));

    @Test
    void ratesComeFromCounterDifferencesOverTheirOwnSpans() {
        for (int i = 0; i <= 24; i++) { // two minutes, every 5 s: 100 trades/s produced and scored, 1 anomaly/s
            history.add(sample(i, 100.0 * 5 * i, 5.0 * i, producer(i, 100.0 * 5 * i), archiver(i, 60.0 * (i / 12))));
        }
        HealthSeries series = history.series(List.of());

        assertThat(series.times()).hasSize(25).first().isEqualTo(T0.getEpochSecond());
        assertThat(series.scoredPerSecond().get(0)).isNull(); // no earlier sample
        assertThat(series.scoredPerSecond().subList(1, 25)).allMatch(rate -> rate == 100.0);
        assertThat(series.producedPerSecond().subList(2, 25)).allMatch(rate -> rate == 100.0);
        // anomalies from the window's start: published as they come, archived a minute at a time
        assertThat(series.publishedInWindow().get(0)).isZero();
        assertThat(series.publishedInWindow().get(24)).isEqualTo(120.0);
        assertThat(series.archivedInWindow().subList(0, 12)).containsOnly(0.0);
        assertThat(series.archivedInWindow().subList(12, 24)).containsOnly(60.0);
        assertThat(series.archivedInWindow().get(24)).isEqualTo(120.0);
        assertThat(series.threshold()).allMatch(t -> t == 1.5);
        assertThat(series.highestOrdinaryScore()).allMatch(s -> s == 2.5);
        assertThat(series.archiverLagSeconds()).allMatch(s -> s == 0.2);
        assertThat(history.producedPerSecond()).isEqualTo(100.0);
    }

    @Test
    void aServiceThatDoesNotAnswerHasNoFiguresAndARestartGivesNoNegativeRate() {
        history.add(sample(0, 0, 0, producer(0, 5000), archiver(0, 700)));
        history.add(sample(1, 500, 0, null, null)); // neither answered
        history.add(sample(2, 1000, 0, producer(2, 20), archiver(2, 40))); // ...and came back restarted
        history.add(sample(3, 1500, 0, producer(3, 520), archiver(3, 50)));
        HealthSeries series = history.series(List.of());

        assertThat(series.producedPerSecond().get(1)).isNull();
        assertThat(series.producedPerSecond().get(2)).isNull(); // 5000 -> 20: not a rate
        assertThat(series.producedPerSecond().get(3)).isEqualTo(100.0);
        // a gap has no value; the restarted counter adds what it counted since its start
        assertThat(series.archivedInWindow()).containsExactly(0.0, null, 40.0, 50.0);
        assertThat(series.archiverLagSeconds().get(1)).isNull();
    }

    @Test
    void keepsTheWindowAndHandsOnTheAnomalyPointsAsColumns() {
        for (int i = 0; i <= 150; i++) { // 12.5 minutes
            history.add(sample(i, i, 0, null, null));
        }
        HealthSeries series = history.series(List.of(
                new ScoreWindow.Point(T0.toEpochMilli(), 7.5, "AMZN", "s/11"),
                new ScoreWindow.Point(T0.toEpochMilli() + 1, 9.0, "GE", "s/12")));

        assertThat(series.times()).hasSize(121);
        assertThat(series.times().get(0))
                .isEqualTo(T0.plusSeconds(150 * 5 - 600).getEpochSecond());
        assertThat(series.scoredPerSecond().get(0)).isNotNull(); // the minute before the window is kept for rates
        assertThat(series.anomalies().scores()).containsExactly(7.5, 9.0);
        assertThat(series.anomalies().keys()).containsExactly("AMZN", "GE");
        assertThat(series.anomalies().ids()).containsExactly("s/11", "s/12");
    }

    private static HealthHistory.Sample sample(
            int step, double scored, double published, RemoteMetrics.Reading producer, RemoteMetrics.Reading archiver) {
        return new HealthHistory.Sample(
                T0.plusSeconds(5L * step), scored, published, 40, 1.5, SCORES, producer, archiver);
    }

    private static RemoteMetrics.Reading producer(int step, double produced) {
        return new RemoteMetrics.Reading(
                T0.plusSeconds(5L * step).minusMillis(300), Map.of(HealthHistory.PRODUCED, produced));
    }

    private static RemoteMetrics.Reading archiver(int step, double archived) {
        return new RemoteMetrics.Reading(
                T0.plusSeconds(5L * step).minusMillis(300),
                Map.of(HealthHistory.ARCHIVED, archived, HealthHistory.OBJECTS, 1.0, HealthHistory.LAG, 200.0));
    }
}
