package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.trade.Trade;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.DoubleSupplier;

/**
 * Scores trades with one model per key (the shard's one model in GLOBAL keying, one per ticker in PER_TICKER). A
 * scorer belongs to one shard processor. Within a batch, trades of different keys are independent, so with an
 * executor the keys' groups are scored in parallel — each model still by one thread at a time — and the verdicts come
 * back in input order. The {@code injected} label is never read here.
 */
public final class TradeScorer {

    private static final String GLOBAL_KEY = "*";

    private final ScoringSettings settings;
    private final DoubleSupplier threshold;
    private final ExecutorService executor;
    private final Map<String, AnomalyModel> models = new HashMap<>();

    /**
     * @param settings forest and verdict settings
     * @param threshold the current threshold (changeable at runtime; read once per batch)
     * @param executor where key groups are scored in parallel; null scores on the calling thread
     */
    public TradeScorer(ScoringSettings settings, DoubleSupplier threshold, ExecutorService executor) {
        this.settings = settings;
        this.threshold = threshold;
        this.executor = executor;
    }

    public int modelCount() {
        return models.size();
    }

    public String keyOf(Trade trade) {
        return settings.keying() == ModelKeying.GLOBAL ? GLOBAL_KEY : trade.tickerSymbol();
    }

    /** Scores a batch in order; each trade is scored before its model learns it. */
    public List<Verdict> score(List<Trade> trades) {
        ScoringSettings current = settings.withThreshold(threshold.getAsDouble());
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < trades.size(); i++) {
            groups.computeIfAbsent(keyOf(trades.get(i)), k -> new ArrayList<>()).add(i);
        }
        Verdict[] verdicts = new Verdict[trades.size()];
        if (executor == null || groups.size() < 2) {
            groups.forEach((key, indexes) -> scoreGroup(key, indexes, trades, verdicts, current));
        } else {
            groups.keySet().forEach(this::model); // create models on this thread: the map is not shared
            List<Future<?>> running = new ArrayList<>(groups.size());
            groups.forEach((key, indexes) ->
                    running.add(executor.submit(() -> scoreGroup(key, indexes, trades, verdicts, current))));
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while scoring", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("scoring failed", e.getCause());
                }
            }
        }
        return List.of(verdicts);
    }

    private void scoreGroup(
            String key, List<Integer> indexes, List<Trade> trades, Verdict[] verdicts, ScoringSettings current) {
        AnomalyModel model = model(key);
        for (int i : indexes) {
            Trade trade = trades.get(i);
            verdicts[i] = model.scoreAndUpdate(trade.tickerSymbol(), trade.price(), trade.quantity(), current);
        }
    }

    private AnomalyModel model(String key) {
        AnomalyModel model = models.get(key);
        if (model == null) {
            model = new AnomalyModel(settings, settings.seed() ^ key.hashCode() * 0x9E3779B97F4A7C15L);
            models.put(key, model);
        }
        return model;
    }

    /** The models by key (for snapshots and tests); the caller must not use them concurrently with scoring. */
    public Map<String, AnomalyModel> models() {
        return models;
    }
}
