package io.tradeanomaly.detector.publishing;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.record.Anomaly;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;

/**
 * Publishes anomalies with PutRecords (partition key = the record's key, or its source shard when the stream has
 * no key field), each once per call ({@link PutRecordsPublisher#putOnce}); it returns those not accepted, which the
 * detector's shard processor retries, and only those, while it owns the shard: an anomaly not accepted means the batch
 * cannot be checkpointed, and moving on would lose it.
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
    public List<Anomaly> publish(List<Anomaly> anomalies) {
        if (anomalies.isEmpty()) {
            return List.of();
        }
        Map<PutRecordsRequestEntry, Anomaly> entries = new IdentityHashMap<>(anomalies.size());
        List<PutRecordsRequestEntry> ordered = new ArrayList<>(anomalies.size());
        for (Anomaly anomaly : anomalies) {
            PutRecordsRequestEntry entry = PutRecordsPublisher.entry(partitionKey(anomaly), anomaly.encode());
            entries.put(entry, anomaly);
            ordered.add(entry);
        }
        List<PutRecordsRequestEntry> unsent = publisher.putOnce(ordered);
        published.increment(ordered.size() - unsent.size());
        return unsent.stream().map(entries::get).toList();
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
