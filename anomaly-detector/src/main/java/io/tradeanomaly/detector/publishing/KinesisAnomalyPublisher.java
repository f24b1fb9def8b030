package io.tradeanomaly.detector.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.kinesis.RetryPolicy;
import io.tradeanomaly.common.trade.Anomaly;
import io.tradeanomaly.common.trade.RecordCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Publishes anomalies with PutRecords (partition key = ticker), retrying only failed entries. Unlike the producer it
 * never gives up while the caller still owns the shard: an anomaly not accepted means the batch cannot be
 * checkpointed, and moving on would lose it.
 */
public class KinesisAnomalyPublisher implements AnomalyPublisher {

    private static final Logger log = LoggerFactory.getLogger(KinesisAnomalyPublisher.class);

    private final PutRecordsPublisher publisher;
    private final RecordCodec codec;
    private final RetryPolicy rounds;
    private final Counter published;

    public KinesisAnomalyPublisher(PutRecordsPublisher publisher, RecordCodec codec, MeterRegistry registry) {
        this.publisher = publisher;
        this.codec = codec;
        this.rounds =
                new RetryPolicy(Integer.MAX_VALUE, java.time.Duration.ofMillis(200), java.time.Duration.ofSeconds(10));
        this.published = Counter.builder("anomalies.published")
                .description("Anomalies accepted by the anomalies stream")
                .register(registry);
    }

    @Override
    public boolean publish(List<Anomaly> anomalies, BooleanSupplier keepTrying) {
        List<PutRecordsRequestEntry> pending = new ArrayList<>(anomalies.size());
        for (Anomaly anomaly : anomalies) {
            pending.add(PutRecordsPublisher.entry(anomaly.tickerSymbol(), codec.encode(anomaly)));
        }
        int total = pending.size();
        for (int round = 1; !pending.isEmpty(); round++) {
            if (round > 1 && !keepTrying.getAsBoolean()) {
                published.increment(total - pending.size());
                return false;
            }
            pending = publisher.tryPublish(pending, keepTrying);
            if (!pending.isEmpty()) {
                log.warn(
                        "{} anomaly record(s) not yet accepted by {}; retrying (round {})",
                        pending.size(),
                        publisher.stream(),
                        round);
                sleep(rounds.backoffMillis(round));
            }
        }
        published.increment(total);
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis); // backoff between rounds of retries against the stream
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
