package io.tradeanomaly.common.kcl;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * DOWN while a shard this worker owns has records to hand on and has made no progress for longer than
 * {@code pipeline.kcl.stalled-after} (a hand-off failing over and over, a hung call): a stuck shard shows, where the
 * process itself is fine. Meant for readiness, not liveness: restarting the process does not fix an outage.
 */
public class ShardProgressHealth implements HealthIndicator {

    private final ShardLagMetrics shards;
    private final Duration stalledAfter;

    public ShardProgressHealth(ShardLagMetrics shards, Duration stalledAfter) {
        this.shards = shards;
        this.stalledAfter = stalledAfter;
    }

    @Override
    public Health health() {
        Map<String, Instant> stalled = shards.stalled(stalledAfter);
        if (stalled.isEmpty()) {
            return Health.up()
                    .withDetail("stalledAfter", stalledAfter.toString())
                    .build();
        }
        return Health.down()
                .withDetail("stalledAfter", stalledAfter.toString())
                .withDetail("noProgressSince", stalled)
                .build();
    }
}
