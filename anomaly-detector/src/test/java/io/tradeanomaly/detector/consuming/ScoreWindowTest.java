package io.tradeanomaly.detector.consuming;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.detector.TestTrades;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScoreWindowTest {

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void summarisesOrdinaryScoresPerIntervalAndStartsAfresh() {
        ScoreWindow window = new ScoreWindow(Duration.ofMinutes(10), 100);
        window.ordinary(0.5);
        window.ordinary(1.5);
        window.ordinary(1.0);

        assertThat(window.takeOrdinary()).isEqualTo(new ScoreWindow.Ordinary(3, 1.0, 1.5));
        assertThat(window.takeOrdinary()).isEqualTo(new ScoreWindow.Ordinary(0, null, null));
    }

    @Test
    void keepsAnomalyPointsForItsTimeAndCount() {
        ScoreWindow window = new ScoreWindow(Duration.ofMinutes(10), 3);
        window.anomalies(List.of(anomaly(1, T0), anomaly(2, T0.plusSeconds(60))));
        window.anomalies(List.of(anomaly(3, T0.plusSeconds(120)), anomaly(4, T0.plusSeconds(180))));

        assertThat(window.points(T0.plusSeconds(200)))
                .extracting(ScoreWindow.Point::identity)
                .containsExactly("s/2", "s/3", "s/4"); // count bound
        assertThat(window.points(T0.plusSeconds(60 * 10 + 130)))
                .extracting(ScoreWindow.Point::identity)
                .containsExactly("s/4"); // time bound
        assertThat(window.points(T0.plusSeconds(200))).singleElement().satisfies(p -> {
            assertThat(p.epochMillis()).isEqualTo(T0.plusSeconds(180).toEpochMilli());
            assertThat(p.score()).isEqualTo(4.0);
            assertThat(p.key()).isEqualTo("GE");
        });
    }

    private static Anomaly anomaly(long id, Instant detectedAt) {
        return TestTrades.anomaly("GE", id, id, detectedAt.minusMillis(300));
    }
}
