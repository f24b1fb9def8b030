package io.tradeanomaly.detector.scoring;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bound on models held in memory by this JVM, across all its shard processors: each shard's models may hold an
 * equal share ({@code maxModels / shards}, at least 1) and evicts its least recently used models beyond it after each
 * checkpoint. The share shrinks when this worker takes another shard. Thread-safe; also the source of the
 * {@code detector_models} gauge, so that the figure is what the shards hold, whatever leases moved.
 */
public final class ModelBudget {

    private final int maxModels;
    private final Set<ShardModels> shards = ConcurrentHashMap.newKeySet();

    public ModelBudget(int maxModels) {
        if (maxModels < 1) {
            throw new IllegalArgumentException("maxModels must be >= 1");
        }
        this.maxModels = maxModels;
    }

    /** No bound (backtests). */
    public static ModelBudget unlimited() {
        return new ModelBudget(Integer.MAX_VALUE);
    }

    public int maxModels() {
        return maxModels;
    }

    /** Models one shard's models may keep now. */
    public int share() {
        return Math.max(1, maxModels / Math.max(1, shards.size()));
    }

    /** Models held by every live shard of this JVM. */
    public int held() {
        return shards.stream().mapToInt(ShardModels::modelCount).sum();
    }

    void join(ShardModels models) {
        shards.add(models);
    }

    void leave(ShardModels models) {
        shards.remove(models);
    }
}
