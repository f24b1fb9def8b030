package io.tradeanomaly.archiver.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.archiver.partitioning.DuplicateFilter.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    void repeatsWithinTheHorizonOfTheirSourceShardsTimeAreDroppedAndForgottenAfterIt() {
        DuplicateFilter filter = new DuplicateFilter(Duration.ofMinutes(10));

        assertThat(filter.check("s/1", "s", T0.plusSeconds(30))).isEqualTo(Verdict.FIRST);
        assertThat(filter.check("s/2", "s", T0.plusSeconds(31))).isEqualTo(Verdict.FIRST);
        assertThat(filter.check("s/3", "s", T0.plusSeconds(599))).isEqualTo(Verdict.FIRST);
        assertThat(filter.check("s/1", "s", T0.plusSeconds(30))).isEqualTo(Verdict.REPEAT);
        assertThat(filter.check("s/4", "s", T0.plus(Duration.ofMinutes(10)).plusSeconds(30)))
                .isEqualTo(Verdict.FIRST);
        assertThat(filter.check("s/1", "s", T0.plusSeconds(30)))
                .as("08:10:30 is within 10 minutes of 08:00:30")
                .isEqualTo(Verdict.REPEAT);
        filter.check("s/5", "s", T0.plus(Duration.ofMinutes(10)).plusSeconds(31));
        assertThat(filter.check("s/1", "s", T0.plusSeconds(30)))
                .as("forgotten: a repeat this late is counted, not dropped")
                .isEqualTo(Verdict.LATE);
    }

    @Test
    void anAnomalyRepublishedAfterItsDetectorWasDownLongerThanTheHorizonIsStillDropped() {
        DuplicateFilter filter = new DuplicateFilter(Duration.ofMinutes(10));
        filter.check("a/1", "a", T0.plusSeconds(5)); // shard a's detector publishes, then is down for 25 minutes
        for (int minute = 0; minute < 25; minute++) { // shard b's detector carries on meanwhile
            filter.check("b/" + minute, "b", T0.plus(Duration.ofMinutes(minute)));
        }

        // shard a's detector replays from its checkpoint: the same trade, arriving on anomalous-trades 25 minutes on
        assertThat(filter.check("a/1", "a", T0.plusSeconds(5))).isEqualTo(Verdict.REPEAT);
        assertThat(filter.check("a/2", "a", T0.plusSeconds(6))).isEqualTo(Verdict.FIRST);
    }

    @Test
    void aFilterSeededFromTheArchiveDropsWhatTheLiveOneDropped() {
        DuplicateFilter live = new DuplicateFilter(Duration.ofMinutes(10));
        live.check("s/1", "s", T0.plusSeconds(42));
        DuplicateFilter seeded = new DuplicateFilter(Duration.ofMinutes(10));
        seeded.remember("s/1", "s", T0.plusSeconds(42)); // an archived line, with its source arrival

        for (Instant later : new Instant[] {
            T0.plusSeconds(300), T0.plus(Duration.ofMinutes(10).plusSeconds(30))
        }) {
            live.check("s/x" + later, "s", later);
            seeded.check("s/x" + later, "s", later);
            assertThat(seeded.check("s/1", "s", T0.plusSeconds(42)))
                    .isEqualTo(live.check("s/1", "s", T0.plusSeconds(42)));
        }
    }
}
