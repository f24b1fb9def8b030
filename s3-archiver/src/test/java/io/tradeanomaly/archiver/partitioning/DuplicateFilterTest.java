package io.tradeanomaly.archiver.partitioning;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DuplicateFilterTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    @Test
    void repeatsWithinTheHorizonAreDroppedAndForgottenAfterIt() {
        DuplicateFilter filter = new DuplicateFilter(Duration.ofMinutes(10));

        assertThat(filter.firstSeen(1, T0)).isTrue();
        assertThat(filter.firstSeen(2, T0.plusSeconds(1))).isTrue();
        assertThat(filter.firstSeen(1, T0.plusSeconds(599))).isFalse();
        assertThat(filter.firstSeen(1, T0.plus(Duration.ofMinutes(10)).plusMillis(1)))
                .isTrue();
        assertThat(filter.size()).isEqualTo(2);
    }
}
