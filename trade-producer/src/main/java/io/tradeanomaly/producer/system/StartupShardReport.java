package io.tradeanomaly.producer.system;

import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.producer.generator.TradeGenerator;
import io.tradeanomaly.producer.generator.TradeIds;
import io.tradeanomaly.producer.settings.ProducerSettings;
import io.tradeanomaly.producer.settings.SettingsStore;
import io.tradeanomaly.producer.sharding.ShardEstimate;
import io.tradeanomaly.producer.sharding.ShardEstimator;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/** Logs, at start-up, the shards the current settings need next to the stream's actual open shard count. */
@Component
class StartupShardReport {

    private static final Logger log = LoggerFactory.getLogger(StartupShardReport.class);

    private final KinesisAsyncClient kinesis;
    private final ProducerProperties properties;
    private final SettingsStore settings;
    private final TradeCodec codec;

    StartupShardReport(
            KinesisAsyncClient kinesis, ProducerProperties properties, SettingsStore settings, TradeCodec codec) {
        this.kinesis = kinesis;
        this.properties = properties;
        this.settings = settings;
        this.codec = codec;
    }

    @EventListener(ApplicationReadyEvent.class)
    void report() {
        ProducerSettings current = settings.get();
        ShardEstimate estimate = ShardEstimator.estimate(
                averageRecordBytes(current), current.recordsPerSecond(), properties.expectedConsumers());
        kinesis.describeStreamSummary(b -> b.streamName(properties.stream())).whenComplete((response, error) -> {
            if (error != null) {
                log.warn(
                        "Shard estimate for {}: {} shard(s) needed; the stream could not be described: {}",
                        properties.stream(),
                        estimate.shards(),
                        error.toString());
                return;
            }
            int actual = response.streamDescriptionSummary().openShardCount();
            String verdict = actual >= estimate.shards() ? "enough" : "TOO FEW: expect throttling";
            log.info(
                    "Shard estimate for {} at {} records/s of ~{} bytes, {} consumer(s): {} shard(s) needed, {} open ({})",
                    properties.stream(),
                    current.recordsPerSecond(),
                    estimate.recordSizeBytes(),
                    properties.expectedConsumers(),
                    estimate.shards(),
                    actual,
                    verdict);
        });
    }

    /** The average encoded size of a sample of trades from these settings (a separate, throw-away generator). */
    private int averageRecordBytes(ProducerSettings current) {
        TradeGenerator sampler = new TradeGenerator(
                properties.tickerUniverse(), 1, Clock.systemUTC(), new TradeIds(Clock.systemUTC(), 0));
        List<Trade> sample = sampler.tick(200, current.generator());
        return (int) Math.round(
                sample.stream().mapToInt(t -> codec.encode(t).length).average().orElse(150));
    }
}
