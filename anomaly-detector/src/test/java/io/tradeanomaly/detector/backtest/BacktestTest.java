package io.tradeanomaly.detector.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.TestSettings;
import io.tradeanomaly.detector.TestTrades;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class BacktestTest {

    private static final ScoringSettings DEFAULTS = TestSettings.perTicker();

    @Test
    void reportsCountsAndQualityAndWritesOneLinePerTradeInOrder() throws Exception {
        List<Trade> trades = TestTrades.generate(new String[] {"AAA", "BBB"}, new double[] {10, 700}, 4000, 0.05, 51);
        RecordCodec codec = new RecordCodec();
        StringBuilder input = new StringBuilder();
        trades.forEach(t -> input.append(new String(codec.encode(t), StandardCharsets.UTF_8))
                .append('\n'));
        input.append("this line is not a trade\n");
        ByteArrayOutputStream scores = new ByteArrayOutputStream();

        Map<String, Object> result =
                new Backtest(DEFAULTS, null).run(new BufferedReader(new StringReader(input.toString())), scores);

        assertThat(result)
                .containsKeys(
                        "records",
                        "anomalies",
                        "recordsPerSecond",
                        "truePositives",
                        "falsePositives",
                        "falseNegatives",
                        "precision",
                        "recall",
                        "f1",
                        "afterWarmup");
        assertThat(result.get("records")).isEqualTo(4000L);
        assertThat(result.get("rejected")).isEqualTo(1L);
        long injected = trades.stream().filter(Trade::isInjected).count();
        assertThat((long) result.get("truePositives") + (long) result.get("falseNegatives"))
                .isEqualTo(injected);
        @SuppressWarnings("unchecked")
        Map<String, Object> warm = (Map<String, Object>) result.get("afterWarmup");
        assertThat((double) warm.get("recall")).isGreaterThanOrEqualTo(0.99);
        assertThat((double) warm.get("precision")).isGreaterThanOrEqualTo(0.95);
        assertThat((long) warm.get("records")).isEqualTo(4000 - 2 * 256);

        List<String> lines = scores.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(4000);
        JsonMapper json = JsonMapper.builder().build();
        for (int i = 0; i < lines.size(); i += 97) {
            JsonNode line = json.readTree(lines.get(i));
            assertThat(line.get("id").longValue()).isEqualTo(trades.get(i).id());
            assertThat(line.propertyNames()).contains("id", "tickerSymbol", "ANOMALY_SCORE", "anomaly");
        }
    }
}
