package io.tradeanomaly.detector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.test.context.DynamicPropertyRegistry;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/** What the detector's integration tests share: properties for a namespace, putting trades and raw records. */
final class DetectorITSupport {

    static final TradeCodec CODEC = new TradeCodec();

    private DetectorITSupport() {}

    static void properties(
            DynamicPropertyRegistry registry, LocalAwsStack stack, LocalAwsNamespace names, String anomalyStream) {
        stack.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        registry.add("detector.source-stream", names::tradesStream);
        registry.add("detector.anomaly-stream", () -> anomalyStream);
        registry.add("detector.application-name", names::detectorApplication);
        registry.add("detector.dead-letter-bucket", names::bucket);
        registry.add("detector.snapshot-bucket", names::bucket);
        registry.add("detector.settings-bucket", names::bucket);
        registry.add("pipeline.admin.password", () -> "it-secret");
        registry.add("pipeline.kcl.failover-time", () -> "3s");
        registry.add("pipeline.kcl.lease-assignment-interval", () -> "1s");
        registry.add("pipeline.kcl.dispatch-poll-interval", () -> "200ms");
        registry.add("pipeline.kcl.shard-sync-interval", () -> "1s");
        registry.add("pipeline.kcl.shutdown-timeout", () -> "10s");
    }

    /** Puts trades in order; returns the last sequence number put in each shard. */
    static Map<String, String> put(LocalAwsStack stack, String stream, List<Trade> trades) {
        return putRaw(
                stack,
                stream,
                trades.stream()
                        .map(t -> PutRecordsPublisher.entry(t.tickerSymbol(), CODEC.encode(t)))
                        .toList());
    }

    /** Puts entries in order, one request at a time, asserting that Kinesis took every one. */
    static Map<String, String> putRaw(LocalAwsStack stack, String stream, List<PutRecordsRequestEntry> entries) {
        Map<String, String> lastSequence = new java.util.HashMap<>();
        for (int from = 0; from < entries.size(); from += 500) {
            List<PutRecordsRequestEntry> batch = entries.subList(from, Math.min(entries.size(), from + 500));
            List<PutRecordsResultEntry> results = stack.kinesis()
                    .putRecords(b -> b.streamName(stream).records(batch))
                    .join()
                    .records();
            for (PutRecordsResultEntry result : results) {
                if (result.errorCode() != null) {
                    throw new IllegalStateException("put failed: " + result.errorMessage());
                }
                lastSequence.merge(
                        result.shardId(),
                        result.sequenceNumber(),
                        (a, b) -> new java.math.BigInteger(a).compareTo(new java.math.BigInteger(b)) >= 0 ? a : b);
            }
        }
        return lastSequence;
    }

    static PutRecordsRequestEntry raw(String key, String text) {
        return PutRecordsRequestEntry.builder()
                .partitionKey(key)
                .data(SdkBytes.fromUtf8String(text))
                .build();
    }

    /**
     * Waits (up to 150 s) until the lease table's checkpoints have reached {@code last} in every shard: every record
     * put is processed, whatever was replayed before it (a count of scored trades can be reached by replays first).
     */
    static void awaitCheckpointed(LocalAwsStack stack, String leaseTable, Map<String, String> last) {
        await().atMost(Duration.ofSeconds(150))
                .untilAsserted(() -> assertThat(checkpoints(stack, leaseTable)).containsAllEntriesOf(last));
    }

    static Map<String, String> checkpoints(LocalAwsStack stack, String leaseTable) {
        return stack.dynamoDb().scan(b -> b.tableName(leaseTable)).join().items().stream()
                .filter(item -> item.containsKey("checkpoint"))
                .collect(Collectors.toMap(
                        item -> item.get("leaseKey").s(),
                        item -> item.get("checkpoint").s()));
    }
}
