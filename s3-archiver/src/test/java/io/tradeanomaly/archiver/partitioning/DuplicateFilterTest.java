package io.tradeanomaly.archiver.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    void repeatsWithinTheHorizonOfArrivalMinutesAreDroppedAndForgottenAfterIt() {
        DuplicateFilter filter = new DuplicateFilter(Duration.ofMinutes(10));

        assertThat(filter.firstSeen("s/1", T0.plusSeconds(30))).isTrue();
        assertThat(filter.firstSeen("s/2", T0.plusSeconds(31))).isTrue();
        assertThat(filter.firstSeen("s/1", T0.plusSeconds(599))).isFalse();
        assertThat(filter.firstSeen("s/1", T0.plus(Duration.ofMinutes(10)).plusSeconds(59)))
                .as("minute 08:10 is within 10 minutes of minute 08:00")
                .isFalse();
        assertThat(filter.firstSeen("s/1", T0.plus(Duration.ofMinutes(11)))).isTrue();
        assertThat(filter.size()).isEqualTo(1);
    }

    @Test
    void aFilterSeededFromTheArchivesMinutesDropsWhatTheLiveOneDropped() {
        DuplicateFilter live = new DuplicateFilter(Duration.ofMinutes(10));
        live.firstSeen("s/1", T0.plusSeconds(42));
        DuplicateFilter seeded = new DuplicateFilter(Duration.ofMinutes(10));
        seeded.remember("s/1", T0); // the object of minute 08:00 holds it

        for (Instant repeat : new Instant[] {
            T0.plusSeconds(300), T0.plus(Duration.ofMinutes(10).plusSeconds(30))
        }) {
            assertThat(seeded.firstSeen("s/1", repeat)).isEqualTo(live.firstSeen("s/1", repeat));
        }
    }
}
