package io.tradeanomaly.detector.backtest;

import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.common.trade.RecordRejectedException;
import io.tradeanomaly.common.trade.Trade;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.TradeScorer;
import io.tradeanomaly.detector.scoring.Verdict;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Runs the live scoring code over a JSON-lines file of trades, in order and in batches like KCL delivers them, and
 * measures detection quality against the {@code injected} labels when the trades carry them.
 */
public final class Backtest {

    /** Trades per scoring batch, as a KCL batch would bring them. */
    static final int BATCH = 500;

    private final ScoringSettings settings;
    private final RecordCodec codec = new RecordCodec();
    private final ExecutorService executor;

    public Backtest(ScoringSettings settings, ExecutorService executor) {
        this.settings = settings;
        this.executor = executor;
    }

    /** Scores every trade of {@code input}; writes one JSON line per trade to {@code output} when it is not null. */
    public Map<String, Object> run(BufferedReader input, OutputStream output) throws IOException {
        TradeScorer scorer = new TradeScorer(settings, settings::threshold, executor);
        Confusion all = new Confusion();
        Confusion afterWarmup = new Confusion();
        Map<String, Integer> seenPerTicker = new HashMap<>();
        long records = 0;
        long anomalies = 0;
        long rejected = 0;
        boolean labelled = false;
        long scoringNanos = 0;
        List<Trade> batch = new ArrayList<>(BATCH);
        String line;
        boolean more = true;
        while (more) {
            line = input.readLine();
            more = line != null;
            if (more && !line.isBlank()) {
                try {
                    batch.add(codec.decodeTrade(line.getBytes(StandardCharsets.UTF_8)));
                } catch (RecordRejectedException e) {
                    rejected++;
                }
            }
            if (batch.size() == BATCH || (!more && !batch.isEmpty())) {
                long start = System.nanoTime();
                List<Verdict> verdicts = scorer.score(batch);
                scoringNanos += System.nanoTime() - start;
                for (int i = 0; i < batch.size(); i++) {
                    Trade trade = batch.get(i);
                    Verdict verdict = verdicts.get(i);
                    records++;
                    anomalies += verdict.anomaly() ? 1 : 0;
                    if (trade.injected() != null) {
                        labelled = true;
                        all.add(verdict.anomaly(), trade.isInjected());
                        int seen = seenPerTicker.merge(trade.tickerSymbol(), 1, Integer::sum);
                        if (seen > settings.outputAfter()) {
                            afterWarmup.add(verdict.anomaly(), trade.isInjected());
                        }
                    }
                    if (output != null) {
                        output.write(codec.encodeValue(scoreLine(trade, verdict)));
                        output.write('\n');
                    }
                }
                batch.clear();
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("records", records);
        result.put("rejected", rejected);
        result.put("anomalies", anomalies);
        result.put("models", scorer.modelCount());
        result.put("recordsPerSecond", Math.round(records / Math.max(1e-9, scoringNanos / 1e9)));
        if (labelled) {
            result.putAll(all.toMap());
            Map<String, Object> warm = afterWarmup.toMap();
            warm.put(
                    "records",
                    afterWarmup.truePositives
                            + afterWarmup.falsePositives
                            + afterWarmup.falseNegatives
                            + afterWarmup.trueNegatives);
            result.put("afterWarmup", warm);
        }
        result.put("settings", settings);
        return result;
    }

    private static Map<String, Object> scoreLine(Trade trade, Verdict verdict) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", trade.id());
        line.put("tickerSymbol", trade.tickerSymbol());
        line.put("ANOMALY_SCORE", verdict.score());
        line.put("anomaly", verdict.anomaly());
        line.put("warmingUp", verdict.warmingUp());
        if (trade.injected() != null) {
            line.put("injected", trade.injected());
        }
        return line;
    }
}
