package io.tradeanomaly.producer.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.StreamDescriptionSummary;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * DOWN while the trades stream is missing or not ACTIVE. The answer is cached for a few seconds, so that frequent
 * probes do not spend DescribeStreamSummary calls (20 per second per account on AWS).
 */
@Component("tradesStream")
class StreamHealthIndicator implements HealthIndicator {

    private static final Duration CACHE = Duration.ofSeconds(5);

    private final KinesisAsyncClient kinesis;
    private final String stream;
    private final Clock clock = Clock.systemUTC();
    private volatile Health cached;
    private volatile Instant cachedAt = Instant.EPOCH;

    StreamHealthIndicator(KinesisAsyncClient kinesis, ProducerProperties properties) {
        this.kinesis = kinesis;
        this.stream = properties.stream();
    }

    @Override
    public Health health() {
        Instant now = clock.instant();
        if (cached == null || now.isAfter(cachedAt.plus(CACHE))) {
            cached = describe();
            cachedAt = now;
        }
        return cached;
    }

    private Health describe() {
        try {
            StreamDescriptionSummary summary = kinesis.describeStreamSummary(b -> b.streamName(stream))
                    .get(5, TimeUnit.SECONDS)
                    .streamDescriptionSummary();
            Health.Builder health = summary.streamStatus() == StreamStatus.ACTIVE ? Health.up() : Health.down();
            return health.withDetail("stream", stream)
                    .withDetail("status", summary.streamStatusAsString())
                    .withDetail("openShards", summary.openShardCount())
                    .build();
        } catch (Exception e) {
            Throwable cause = e instanceof CompletionException || e.getCause() != null ? e.getCause() : e;
            return Health.down()
                    .withDetail("stream", stream)
                    .withDetail("error", String.valueOf(cause))
                    .build();
        }
    }
}
