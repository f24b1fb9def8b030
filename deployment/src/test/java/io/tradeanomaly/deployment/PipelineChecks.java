package io.tradeanomaly.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tradeanomaly.common.record.AnomalyLine;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.record.RecordRejectedException;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.common.trade.TradeCodec;
import io.tradeanomaly.localaws.LocalAwsNamespace;
import io.tradeanomaly.localaws.LocalAwsStack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.kinesis.model.Record;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** "Nothing lost, nothing duplicated", measured by trade id across the streams and the archive. */
final class PipelineChecks {

    static final Pattern ARCHIVE_KEY = Pattern.compile(
            "(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/anomalous-trades-1-(\\d{4})-(\\d{2})-(\\d{2})-(\\d{2})-\\d{2}-\\d{2}-shardId-\\d{12}-\\d+(-\\d+)?\\.json");
    /** What else the pipeline keeps in the archive bucket, each under its own prefix (docs/contracts.md). */
    private static final List<String> NOT_ARCHIVE = List.of("errors/", "model-snapshots/", "runtime-settings/");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TradeCodec CODEC = new TradeCodec();

    private final LocalAwsStack stack;
    private final LocalAwsNamespace names;
    private final StreamTail tradesTail;
    private final StreamTail anomaliesTail;
    private final List<Trade> trades = new ArrayList<>();
    private final Map<Long, Integer> published = new HashMap<>();
    private final Set<String> publishedIdentities = new HashSet<>();
    private final Map<String, Instant> latestPublishedTrade = new HashMap<>();

    PipelineChecks(LocalAwsStack stack, LocalAwsNamespace names) {
        this.stack = stack;
        this.names = names;
        this.tradesTail = new StreamTail(stack, names.tradesStream());
        this.anomaliesTail = new StreamTail(stack, names.anomaliesStream());
    }

    /** Every valid trade on the trades stream so far, in each shard's order (read incrementally). */
    synchronized List<Trade> trades() {
        for (Record record : tradesTail.next()) {
            try {
                trades.add(CODEC.decodeTrade(record.data().asByteArray()));
            } catch (RecordRejectedException malformed) {
                // injected on purpose by a fault test
            }
        }
        return List.copyOf(trades);
    }

    /** How often each trade id is on the anomalies stream (more than once after a detector replay). */
    synchronized Map<Long, Integer> published() {
        for (Record record : anomaliesTail.next()) {
            var anomaly = JsonRecords.parseObject(record.data().asByteArray(), 1 << 20);
            published.merge(anomaly.get("id").longValue(), 1, Integer::sum);
            publishedIdentities.add(
                    AnomalyLine.decode(record.data().asByteArray(), 1 << 20).identity());
            if (anomaly.has("tradeTime")) {
                latestPublishedTrade.merge(
                        anomaly.get("tickerSymbol").stringValue(),
                        Instant.parse(anomaly.get("tradeTime").stringValue()),
                        (a, b) -> a.isAfter(b) ? a : b);
            }
        }
        return Map.copyOf(published);
    }

    /**
     * Waits until the detector has read every shard up to about now, and returns a time up to which every trade has
     * surely been scored. A ticker's trades all go to one shard, which the detector reads in order, and the producer
     * puts trades in the order it makes them: once every ticker has a published anomaly traded after the mark, every
     * shard has been read past it. (One global "newest anomaly" is not enough: right after a lease moves, one shard
     * can lag the other by a minute, and its unread trades would count as missed.)
     */
    Instant awaitDetectorCaughtUp(Duration within) {
        Instant mark = Instant.now().minusSeconds(5);
        Set<String> tickers = new HashSet<>();
        trades().forEach(trade -> tickers.add(trade.tickerSymbol()));
        await().atMost(within).pollInterval(Duration.ofSeconds(2)).until(() -> {
            published();
            synchronized (this) {
                return tickers.stream()
                        .allMatch(ticker -> latestPublishedTrade
                                .getOrDefault(ticker, Instant.EPOCH)
                                .isAfter(mark));
            }
        });
        return mark;
    }

    /** The anomaly identities published so far (source shard, sequence and sub-sequence number). */
    synchronized Set<String> publishedIdentities() {
        published();
        return Set.copyOf(publishedIdentities);
    }

    /** Whether a key of the bucket belongs to the archive rather than to dead letters, snapshots or settings. */
    static boolean isArchived(String key) {
        return NOT_ARCHIVE.stream().noneMatch(key::startsWith);
    }

    /** What the archive holds: each anomaly identity and each trade id with how often. */
    record Archive(Map<String, Integer> identities, Map<Long, Integer> ids) {}

    /** How often each anomaly identity and trade id is in the archive; checks every key and line on the way. */
    Archive archived() {
        Map<String, Integer> identities = new HashMap<>();
        Map<Long, Integer> ids = new HashMap<>();
        for (String key : stack.objectKeys(names.bucket(), "")) {
            if (!isArchived(key)) {
                continue;
            }
            var matcher = ARCHIVE_KEY.matcher(key);
            assertThat(matcher.matches()).as("archive key %s", key).isTrue();
            assertThat(matcher.group(1) + matcher.group(2) + matcher.group(3) + matcher.group(4))
                    .isEqualTo(matcher.group(5) + matcher.group(6) + matcher.group(7) + matcher.group(8));
            String body = stack.objectText(names.bucket(), key);
            assertThat(body).endsWith("\n");
            for (String line : body.split("\n")) {
                JsonNode anomaly = JSON.readTree(line);
                assertThat(anomaly.has("ANOMALY_SCORE")).as(line).isTrue();
                identities.merge(
                        AnomalyLine.decode(line.getBytes(StandardCharsets.UTF_8), 1 << 20)
                                .identity(),
                        1,
                        Integer::sum);
                ids.merge(anomaly.get("id").longValue(), 1, Integer::sum);
            }
        }
        return new Archive(identities, ids);
    }

    /**
     * Waits until the archive holds every published anomaly, then asserts each exactly once, by identity (a trade the
     * producer put twice, a retried PutRecords whose first answer was lost, is two records with one trade id: both
     * are archived, as docs/guarantees.md says). Returns how often each trade id is archived.
     */
    Map<Long, Integer> awaitArchiveExactlyOnce(Duration within) {
        Set<String> published = publishedIdentities();
        assertThat(published).isNotEmpty();
        await().atMost(within)
                .pollInterval(Duration.ofSeconds(3))
                .untilAsserted(
                        () -> assertThat(archived().identities().keySet()).containsAll(published));
        Archive archived = archived();
        Map<String, Integer> duplicated = new HashMap<>();
        archived.identities().forEach((identity, count) -> {
            if (count > 1) {
                duplicated.put(identity, count);
            }
        });
        assertThat(duplicated).as("anomalies archived more than once").isEmpty();
        assertThat(archived.identities().keySet())
                .as("archived but never published")
                .isSubsetOf(publishedIdentities());
        return archived.ids();
    }

    /** Detection measured from the simulator's labels: outliers past each ticker's warm-up, and what was flagged. */
    record Quality(long outliers, long caught, long flagged, long correct) {
        double recall() {
            return outliers == 0 ? 1 : (double) caught / outliers;
        }

        double precision() {
            return flagged == 0 ? 1 : (double) correct / flagged;
        }
    }

    Quality quality(List<Trade> trades, Set<Long> anomalies, Instant until) {
        Map<String, Integer> seen = new HashMap<>();
        long outliers = 0;
        long caught = 0;
        long flagged = 0;
        long correct = 0;
        Set<Long> counted = new HashSet<>();
        for (Trade trade : trades) {
            if (!counted.add(trade.id())
                    || seen.merge(trade.tickerSymbol(), 1, Integer::sum) <= 256
                    || trade.tradeTime().isAfter(until)) {
                continue;
            }
            boolean anomaly = anomalies.contains(trade.id());
            if (trade.isInjected()) {
                outliers++;
                caught += anomaly ? 1 : 0;
            }
            if (anomaly) {
                flagged++;
                correct += trade.isInjected() ? 1 : 0;
            }
        }
        return new Quality(outliers, caught, flagged, correct);
    }
}
