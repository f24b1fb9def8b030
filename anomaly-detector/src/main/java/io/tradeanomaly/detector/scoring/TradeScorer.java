package io.tradeanomaly.detector.scoring;

import io.tradeanomaly.common.trade.Trade;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.DoubleSupplier;

/**
 * Scores trades with one model per key (the shard's one model in GLOBAL keying, one per ticker in PER_TICKER). A
 * scorer belongs to one shard processor. Within a batch, trades of different keys are independent, so with an
 * executor the keys' groups are scored in parallel — each model still by one thread at a time — and the verdicts come
 * back in input order. The {@code injected} label is never read here.
 *
 * <p>Models live in a least-recently-used cache of at most {@code maxModels}; a model pushed out is snapshotted to the
 * {@link ModelStore} and restored from it the next time its key trades, as is any model a previous owner of the shard
 * (a restart, a crash, a moved lease) left there.
 */
public final class TradeScorer {

    private final ScoringSettings settings;
    private final DoubleSupplier threshold;
    private final ExecutorService executor;
    private final ModelStore store;
    private final int maxModels;
    private final String shardId;
    private final ModelEvents events;
    private final ModelCodec codec = new ModelCodec();
    private final LinkedHashMap<String, AnomalyModel> models = new LinkedHashMap<>(64, 0.75f, true);
    private final Set<String> dirty = new HashSet<>();

    /** A scorer without persistence and without a model limit (backtests, tests). */
    public TradeScorer(ScoringSettings settings, DoubleSupplier threshold, ExecutorService executor) {
        this(settings, threshold, executor, ModelStore.none(), Integer.MAX_VALUE, "backtest", ModelEvents.NONE);
    }

    /**
     * @param settings forest and verdict settings
     * @param threshold the current threshold (changeable at runtime; read once per batch)
     * @param executor where key groups are scored in parallel; null scores on the calling thread
     * @param store where models are snapshotted and restored
     * @param maxModels models kept in memory; more are evicted least recently used first, after a snapshot
     * @param shardId the shard this scorer serves (names the GLOBAL model's snapshot)
     * @param events metrics and logs of model life-cycle events
     */
    public TradeScorer(
            ScoringSettings settings,
            DoubleSupplier threshold,
            ExecutorService executor,
            ModelStore store,
            int maxModels,
            String shardId,
            ModelEvents events) {
        this.settings = settings;
        this.threshold = threshold;
        this.executor = executor;
        this.store = store;
        this.maxModels = maxModels;
        this.shardId = shardId;
        this.events = events;
    }

    public int modelCount() {
        return models.size();
    }

    public String keyOf(Trade trade) {
        return settings.keying() == ModelKeying.GLOBAL ? "*" : trade.tickerSymbol();
    }

    /** Scores a batch in order; each trade is scored before its model learns it. */
    public List<Verdict> score(List<Trade> trades) {
        ScoringSettings current = settings.withThreshold(threshold.getAsDouble());
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < trades.size(); i++) {
            groups.computeIfAbsent(keyOf(trades.get(i)), k -> new ArrayList<>()).add(i);
        }
        // Models are fetched (or restored) on this thread: the cache is never touched by the scoring threads.
        Map<String, AnomalyModel> batch = new LinkedHashMap<>();
        groups.keySet().forEach(key -> batch.put(key, model(key)));
        dirty.addAll(groups.keySet());
        Verdict[] verdicts = new Verdict[trades.size()];
        if (executor == null || groups.size() < 2) {
            groups.forEach((key, indexes) -> scoreGroup(batch.get(key), indexes, trades, verdicts, current));
        } else {
            List<Future<?>> running = new ArrayList<>(groups.size());
            groups.forEach((key, indexes) ->
                    running.add(executor.submit(() -> scoreGroup(batch.get(key), indexes, trades, verdicts, current))));
            for (Future<?> future : running) {
                try {
                    future.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while scoring", e);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("scoring failed", e.getCause());
                }
            }
        }
        evictBeyondLimit(null);
        return List.of(verdicts);
    }

    private static void scoreGroup(
            AnomalyModel model,
            List<Integer> indexes,
            List<Trade> trades,
            Verdict[] verdicts,
            ScoringSettings current) {
        for (int i : indexes) {
            Trade trade = trades.get(i);
            verdicts[i] = model.scoreAndUpdate(trade.tickerSymbol(), trade.price(), trade.quantity(), current);
        }
    }

    private AnomalyModel model(String key) {
        AnomalyModel model = models.get(key);
        if (model == null) {
            model = restore(key).orElseGet(() -> {
                events.created(key);
                return new AnomalyModel(settings, settings.seed() ^ key.hashCode() * 0x9E3779B97F4A7C15L);
            });
            models.put(key, model);
        }
        return model;
    }

    private Optional<AnomalyModel> restore(String key) {
        Optional<byte[]> snapshot;
        try {
            snapshot = store.load(storeKey(key));
        } catch (RuntimeException e) {
            events.unusableSnapshot(key, new InvalidSnapshotException("cannot read snapshot: " + e, e));
            return Optional.empty();
        }
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        try {
            AnomalyModel model = codec.decode(snapshot.get(), settings).model();
            events.restored(key);
            return Optional.of(model);
        } catch (InvalidSnapshotException e) {
            events.unusableSnapshot(key, e);
            return Optional.empty();
        }
    }

    /**
     * Snapshots every model that learnt something since its last snapshot.
     *
     * @param position the record position the models have seen up to (stored with the snapshot)
     * @return how many models were saved
     */
    public int snapshot(String position) {
        int saved = 0;
        for (Iterator<String> it = dirty.iterator(); it.hasNext(); ) {
            String key = it.next();
            AnomalyModel model = models.get(key);
            if (model == null || save(key, model, position)) {
                it.remove();
                saved += model == null ? 0 : 1;
            }
        }
        events.saved(saved);
        return saved;
    }

    private boolean save(String key, AnomalyModel model, String position) {
        if (model.seen() < FeatureTransform.CALIBRATION) {
            return true; // not worth keeping: a few trades of calibration are rebuilt at once
        }
        try {
            store.save(storeKey(key), codec.encode(model, shardId, position));
            return true;
        } catch (RuntimeException e) {
            events.saveFailed(key, e);
            return false;
        }
    }

    /** Evicts least recently used models beyond the limit, each after a snapshot (kept if the snapshot fails). */
    private void evictBeyondLimit(String position) {
        Iterator<Map.Entry<String, AnomalyModel>> eldest = models.entrySet().iterator();
        while (models.size() > maxModels && eldest.hasNext()) {
            Map.Entry<String, AnomalyModel> entry = eldest.next();
            if (save(entry.getKey(), entry.getValue(), position)) {
                dirty.remove(entry.getKey());
                eldest.remove();
                events.evicted(entry.getKey());
            } else {
                return;
            }
        }
    }

    /** The snapshot name of a model key: per ticker across shards, the GLOBAL model per shard. */
    String storeKey(String key) {
        return settings.keying() == ModelKeying.GLOBAL
                ? "global/" + shardId
                : "ticker/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    }

    /** The models by key (for tests); the caller must not use them concurrently with scoring. */
    public Map<String, AnomalyModel> models() {
        return models;
    }
}
