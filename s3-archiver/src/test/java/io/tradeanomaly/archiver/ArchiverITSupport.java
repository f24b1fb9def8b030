package io.tradeanomaly.archiver;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tradeanomaly.archiver.consuming.ArchiveRecordProcessor;
import io.tradeanomaly.archiver.partitioning.ObjectKeys;
import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.archiver.storage.ArchiveStatus;
import io.tradeanomaly.common.kcl.KclConsumer;
import io.tradeanomaly.common.kcl.KclConsumerFactory;
import io.tradeanomaly.common.kcl.KclProperties;
import io.tradeanomaly.common.kcl.LeaseTables;
import io.tradeanomaly.common.kcl.LeaseView;
import io.tradeanomaly.common.kcl.ShardLagMetrics;
import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.FeatureExplanation;
import io.tradeanomaly.common.s3.NdjsonStore;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Anomalies for the archiver's tests, putting them, and reading the archive back. */
final class ArchiverITSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xFFFFFFFFFFL);

    private ArchiverITSupport() {}

    static List<Anomaly> anomalies(int count) {
        List<Anomaly> anomalies = new ArrayList<>(count);
        String[] tickers = {"AMZN", "GE", "BKNG"};
        for (int i = 0; i < count; i++) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Trade trade = new Trade(IDS.incrementAndGet(), tickers[i % 3], TradeType.BUY, 100 + i, 1000 + i, now, true);
            anomalies.add(TradeAnomalies.of(
                    trade,
                    2.5,
                    Map.of(
                            "price", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 1.2, 1.5),
                            "quantity", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 0.8, 1.0)),
                    now,
                    new Anomaly.Source("shardId-000000000000", Long.toString(trade.id()), now)));
        }
        return anomalies;
    }

    /** The anomaly as another detector run republishes it: the same trade and source, scored anew. */
    static Anomaly republished(Anomaly anomaly) {
        return TradeAnomalies.rescored(
                anomaly,
                1,
                anomaly.anomalyScore() + 0.01,
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                anomaly.source());
    }

    /** An in-process archiver (a KCL consumer of the anomalies stream) with test timings and its own store. */
    static KclConsumer consumer(
            LocalAwsStack stack,
            LocalAwsNamespace names,
            NdjsonStore store,
            String worker,
            PartitionSettings partitions,
            Duration dedupeHorizon,
            int maxRecords,
            String prefix) {
        return consumer(
                stack,
                names.anomaliesStream(),
                names.archiverApplication(),
                store,
                worker,
                partitions,
                dedupeHorizon,
                maxRecords,
                prefix,
                Clock.systemUTC());
    }

    /** The same, for any stream and KCL application (lease table, created if absent), with a clock of its own. */
    static KclConsumer consumer(
            LocalAwsStack stack,
            String stream,
            String application,
            NdjsonStore store,
            String worker,
            PartitionSettings partitions,
            Duration dedupeHorizon,
            int maxRecords,
            String prefix,
            Clock clock) {
        LeaseTables.ensureLeaseTable(stack.dynamoDb(), application, Duration.ofSeconds(30));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KclProperties base = KclProperties.defaults().withFastFailover();
        KclProperties properties = new KclProperties(
                base.retrieval(),
                base.pollingIdleTime(),
                maxRecords,
                base.initialPosition(),
                base.failoverTime(),
                base.leaseAssignmentInterval(),
                base.leaderLeaseDuration(),
                base.shardSyncInterval(),
                base.parentShardPollInterval(),
                base.dispatchPollInterval(),
                Duration.ofSeconds(10),
                true,
                KclProperties.Metrics.NONE,
                base.metricsLevel(),
                worker,
                base.stalledAfter(),
                base.poisonAfter());
        KclConsumerFactory factory = new KclConsumerFactory(
                properties,
                stack.kinesis(),
                stack.dynamoDb(),
                stack.clientFactory().cloudWatch(),
                registry);
        ArchiveStatus status = new ArchiveStatus(registry, Clock.systemUTC(), Duration.ofMinutes(1));
        LeaseView.Deferred leases = new LeaseView.Deferred();
        KclConsumer consumer = factory.create(
                application,
                stream,
                () -> new ArchiveRecordProcessor(
                        new ShardLagMetrics(registry),
                        leases,
                        1 << 16,
                        new ObjectKeys(prefix, "anomalous-trades", "1", false),
                        partitions,
                        "errors/" + prefix,
                        dedupeHorizon,
                        store,
                        status,
                        clock));
        leases.set(consumer);
        return consumer;
    }

    /** How often each anomaly identity appears across the archive. */
    static Map<String, Integer> identityCounts(Map<String, List<JsonNode>> archive) {
        Map<String, Integer> counts = new HashMap<>();
        archive.values()
                .forEach(lines -> lines.forEach(l -> counts.merge(
                        io.tradeanomaly.common.record.AnomalyLine.decode(JSON.writeValueAsBytes(l), 1 << 20)
                                .identity(),
                        1,
                        Integer::sum)));
        return counts;
    }

    static List<PutRecordsRequestEntry> entries(List<Anomaly> anomalies) {
        return anomalies.stream()
                .map(a -> PutRecordsPublisher.entry(TradeAnomalies.ticker(a), a.encode()))
                .toList();
    }

    static void put(LocalAwsStack stack, String stream, List<PutRecordsRequestEntry> entries) {
        for (int from = 0; from < entries.size(); from += 500) {
            List<PutRecordsRequestEntry> batch = entries.subList(from, Math.min(entries.size(), from + 500));
            for (PutRecordsResultEntry result : stack.kinesis()
                    .putRecords(b -> b.streamName(stream).records(batch))
                    .join()
                    .records()) {
                if (result.errorCode() != null) {
                    throw new IllegalStateException(result.errorMessage());
                }
            }
        }
    }

    /** Every line of every archive object under a prefix, as JSON, by key. */
    static Map<String, List<JsonNode>> archive(LocalAwsStack stack, String bucket, String prefix) {
        Map<String, List<JsonNode>> objects = new HashMap<>();
        for (String key : stack.objectKeys(bucket, prefix)) {
            if (key.contains("errors/")) {
                continue;
            }
            objects.put(
                    key,
                    stack.objectText(bucket, key).lines().map(JSON::readTree).toList());
        }
        return objects;
    }

    /** How often each trade id appears across the archive. */
    static Map<Long, Integer> idCounts(Map<String, List<JsonNode>> archive) {
        Map<Long, Integer> counts = new HashMap<>();
        archive.values()
                .forEach(lines -> lines.forEach(l -> counts.merge(l.get("id").longValue(), 1, Integer::sum)));
        return counts;
    }

    /** A store that passes everything on (tests override what they hook). */
    static class DelegatingStore implements NdjsonStore {
        private final NdjsonStore delegate;

        DelegatingStore(NdjsonStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity) {
            return delegate.write(key, lines, gzip, identity);
        }

        @Override
        public List<String> list(String prefix) {
            return delegate.list(prefix);
        }

        @Override
        public byte[] read(String key) {
            return delegate.read(key);
        }
    }
}
