package io.tradeanomaly.detector.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.record.Anomaly;
import io.tradeanomaly.common.record.AnomalyLayout;
import io.tradeanomaly.common.record.InputRecord;
import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.detector.TestSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * The trade is one configuration of the generic record: for the same trades, the default configuration publishes
 * byte for byte the anomaly records the trade-only detector published before records became generic (the golden
 * files were written by that code, commit 7587af6: its scorer, its {@code Anomaly.of} and its codec), with the
 * defaults and with KDA's setup.
 */
class TradeOutputCompatibilityTest {

    private static final InputSchema TRADES = InputSchema.trades();

    @Test
    void theDefaultPublishesTheSameAnomalyRecordsAsBeforeForTheSameTrades() throws IOException {
        assertThat(anomalies(TestSettings.perTicker())).containsExactlyElementsOf(golden("default"));
    }

    @Test
    void kdasSetupPublishesTheSameAnomalyRecordsAsBeforeForTheSameTrades() throws IOException {
        assertThat(anomalies(ScoringSettings.kda())).containsExactlyElementsOf(golden("kda"));
    }

    private static List<String> anomalies(ScoringSettings settings) throws IOException {
        List<InputRecord> trades = new ArrayList<>();
        for (String line : read("trades.jsonl.gz")) {
            trades.add(TRADES.decode(line.getBytes(StandardCharsets.UTF_8), JsonRecords.DEFAULT_MAX_RECORD_BYTES));
        }
        RecordScorer scorer = RecordScorer.offline(settings, null);
        AnomalyLayout layout = AnomalyLayout.of(TRADES, null);
        List<String> published = new ArrayList<>();
        for (int from = 0; from < trades.size(); from += 500) {
            List<InputRecord> batch = trades.subList(from, Math.min(trades.size(), from + 500));
            List<Verdict> verdicts = scorer.score(batch, new long[batch.size()]);
            for (int i = 0; i < batch.size(); i++) {
                Verdict verdict = verdicts.get(i);
                if (verdict.anomaly()) {
                    InputRecord trade = batch.get(i);
                    Instant tradeTime =
                            Instant.parse(trade.fields().get("tradeTime").stringValue());
                    Anomaly anomaly = layout.anomaly(
                            trade,
                            verdict.score(),
                            verdict.explanation(),
                            tradeTime.plusMillis(250),
                            new Anomaly.Source(
                                    "shardId-000000000000",
                                    String.valueOf(49600000000L + from + i),
                                    tradeTime.plusMillis(50)));
                    published.add(new String(anomaly.encode(), StandardCharsets.UTF_8));
                }
            }
        }
        return published;
    }

    private static List<String> golden(String name) throws IOException {
        return read("trade-anomalies-" + name + ".jsonl.gz");
    }

    private static List<String> read(String resource) throws IOException {
        try (InputStream in = TradeOutputCompatibilityTest.class.getResourceAsStream("/golden/" + resource);
                BufferedReader reader =
                        new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8))) {
            return reader.lines().toList();
        }
    }
}
