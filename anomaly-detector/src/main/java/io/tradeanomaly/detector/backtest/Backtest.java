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
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;

/**
 * Runs the live scoring code over trades, in order and in batches like KCL delivers them, and measures detection
 * quality against the {@code injected} labels when the trades carry them: from a JSON-lines file (the {@code backtest}
 * command), or in-process from any sequence of trades (the quality matrix).
 */
public final class Backtest {

    /** Trades per scoring batch, as a KCL batch would bring them. */
    static final int BATCH = 500;

    /** Sees every trade with its verdict, in input order. */
    @FunctionalInterface
    public interface Listener {
        void scored(Trade trade, Verdict verdict);
    }

    private final ScoringSettings settings;
    private final ExecutorService executor;

    public Backtest(ScoringSettings settings, ExecutorService executor) {
        this.settings = settings;
        this.executor = executor;
    }

    /** Scores every trade of {@code input}; writes one JSON line per trade to {@code output} when it is not null. */
    public Map<String, Object> run(BufferedReader input, OutputStream output) throws IOException {
        RecordCodec codec = new RecordCodec();
        Run run = new Run(
                output == null
                        ? null
                        : (trade, verdict) -> {
                            try {
                                output.write(codec.encodeValue(scoreLine(trade, verdict)));
                                output.write('\n');
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        });
        try {
            String line;
            while ((line = input.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    run.add(codec.decodeTrade(line.getBytes(StandardCharsets.UTF_8)));
                } catch (RecordRejectedException e) {
                    run.rejected++;
                }
            }
            return run.finish();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Scores the given trades in-process; {@code listener} (may be null) sees each verdict. */
    public Map<String, Object> run(Iterable<Trade> trades, Listener listener) {
        Run run = new Run(listener);
        trades.forEach(run::add);
        return run.finish();
    }

    /** One pass: batches, scores, counts. */
    private final class Run {
        private final TradeScorer scorer = new TradeScorer(settings, settings::threshold, executor);
        private final Listener listener;
        private final Confusion all = new Confusion();
        private final Confusion afterWarmup = new Confusion();
        private final Map<String, Integer> seenPerTicker = new HashMap<>();
        private final List<Trade> batch = new ArrayList<>(BATCH);
        private long records;
        private long anomalies;
        private long rejected;
        private boolean labelled;
        private long scoringNanos;

        Run(Listener listener) {
            this.listener = listener;
        }

        void add(Trade trade) {
            batch.add(trade);
            if (batch.size() == BATCH) {
                flush();
            }
        }

        private void flush() {
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
                if (listener != null) {
                    listener.scored(trade, verdict);
                }
            }
            batch.clear();
        }

        Map<String, Object> finish() {
            if (!batch.isEmpty()) {
                flush();
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
                warm.put("records", afterWarmup.records());
                result.put("afterWarmup", warm);
            }
            result.put("settings", settings);
            return result;
        }
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
