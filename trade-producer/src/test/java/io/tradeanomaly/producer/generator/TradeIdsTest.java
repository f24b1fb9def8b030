package io.tradeanomaly.producer.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TradeIdsTest {

    private static final Clock FROZEN = Clock.fixed(Instant.parse("2026-11-26T08:00:00Z"), ZoneOffset.UTC);

    @Test
    void idsStayUniqueWhenManyAreIssuedWithinOneTick() {
        TradeIds ids = new TradeIds(FROZEN, 0);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
    }

    @Test
    void replicasWithDifferentInstanceIdsNeverCollide() {
        TradeIds a = new TradeIds(FROZEN, 1);
        TradeIds b = new TradeIds(FROZEN, 2);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(a.next())).isTrue();
            assertThat(seen.add(b.next())).isTrue();
        }
        assertThat(TradeIds.instanceOf(a.next())).isEqualTo(1);
    }

    @Test
    void aRestartLaterIssuesLargerIds() {
        long before = new TradeIds(FROZEN, 5).next();
        Clock later = Clock.offset(FROZEN, java.time.Duration.ofMillis(10));
        assertThat(new TradeIds(later, 5).next()).isGreaterThan(before);
    }

    @Test
    void instanceMustFitItsBits() {
        assertThatThrownBy(() -> new TradeIds(FROZEN, 128)).isInstanceOf(IllegalArgumentException.class);
    }
}
