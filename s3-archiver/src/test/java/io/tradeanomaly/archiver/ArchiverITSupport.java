package io.tradeanomaly.archiver;

import io.tradeanomaly.common.kinesis.PutRecordsPublisher;
import io.tradeanomaly.common.trade.Anomaly;
import io.tradeanomaly.common.trade.FeatureExplanation;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeType;
import io.tradeanomaly.localaws.LocalAwsStack;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Anomalies for the archiver's tests, putting them, and reading the archive back. */
final class ArchiverITSupport {

    static final RecordCodec CODEC = new RecordCodec();
    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AtomicLong IDS = new AtomicLong(System.nanoTime() & 0xFFFFFFFFFFL);

    private ArchiverITSupport() {}

    static List<Anomaly> anomalies(int count) {
        List<Anomaly> anomalies = new ArrayList<>(count);
        String[] tickers = {"AMZN", "GE", "BKNG"};
        for (int i = 0; i < count; i++) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Trade trade = new Trade(IDS.incrementAndGet(), tickers[i % 3], TradeType.BUY, 100 + i, 1000 + i, now, true);
            anomalies.add(Anomaly.of(
                    trade,
                    2.5,
                    Map.of(
                            "price", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 1.2, 1.5),
                            "quantity", new FeatureExplanation(FeatureExplanation.Direction.HIGH, 0.8, 1.0)),
                    now));
        }
        return anomalies;
    }

    static List<PutRecordsRequestEntry> entries(List<Anomaly> anomalies) {
        return anomalies.stream()
                .map(a -> PutRecordsPublisher.entry(a.tickerSymbol(), CODEC.encode(a)))
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
            if (key.startsWith("errors/")) {
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
}
