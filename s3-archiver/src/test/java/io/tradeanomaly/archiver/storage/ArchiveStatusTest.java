package io.tradeanomaly.archiver.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;

/** S3 health is judged per shard: one shard writing does not hide another that has been failing. */
class ArchiveStatusTest {

    private static final Instant T0 = Instant.parse("2026-11-26T08:00:00Z");

    private Instant now = T0;
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final ArchiveStatus status = new ArchiveStatus(new SimpleMeterRegistry(), clock, Duration.ofSeconds(60));

    @Test
    void aShardFailingForLongerThanTheBoundIsDownWhileAnotherShardKeepsWriting() {
        status.failed("shardId-1", "writing a", new IllegalStateException("503"));
        now = T0.plusSeconds(30);
        status.written("shardId-2", "b", 10, 1_000);
        now = T0.plusSeconds(61);
        status.written("shardId-2", "c", 10, 1_000);

        assertThat(status.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(status.snapshot().failingSince()).isEqualTo(T0);

        status.succeeded("shardId-1");
        assertThat(status.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aShardThatIsGoneNoLongerCounts() {
        status.failed("shardId-1", "writing a", new IllegalStateException("503"));
        status.shardGone("shardId-1");
        now = T0.plusSeconds(120);

        assertThat(status.health().getStatus()).isEqualTo(Status.UP);
    }
}
