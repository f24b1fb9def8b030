package io.tradeanomaly.detector.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.record.Anomaly;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Publishes anomalies with PutRecords (partition key = the record's key, or its source shard when the stream has
 * no key field), retrying only failed entries. Unlike the producer it
 * never gives up while the caller still owns the shard (its {@link PutRecordsPublisher} is built with an unbounded
 * backoff): an anomaly not accepted means the batch cannot be checkpointed, and moving on would lose it.
 */
public class KinesisAnomalyPublisher implements AnomalyPublisher {

    private final PutRecordsPublisher publisher;
    private final Counter published;

    public KinesisAnomalyPublisher(PutRecordsPublisher publisher, MeterRegistry registry) {
        this.publisher = publisher;
        this.published = Counter.builder("anomalies.published")
                .description("Anomalies accepted by the anomalies stream")
                .register(registry);
    }

    @Override
    public boolean publish(List<Anomaly> anomalies, BooleanSupplier keepTrying) {
        if (anomalies.isEmpty()) {
            return true;
        }
        List<PutRecordsRequestEntry> entries = new ArrayList<>(anomalies.size());
        for (Anomaly anomaly : anomalies) {
            entries.add(PutRecordsPublisher.entry(partitionKey(anomaly), anomaly.encode()));
        }
        List<PutRecordsRequestEntry> unsent = publisher.tryPublish(entries, keepTrying);
        published.increment(entries.size() - unsent.size());
        return unsent.isEmpty();
    }

    private static String partitionKey(Anomaly anomaly) {
        if (!anomaly.key().isEmpty()) {
            return anomaly.key();
        }
        return anomaly.source() != null && anomaly.source().shardId() != null
                ? anomaly.source().shardId()
                : "-";
    }
}
