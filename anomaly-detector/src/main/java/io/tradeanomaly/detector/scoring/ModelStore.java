package io.tradeanomaly.detector.scoring;

import java.util.Optional;

/** Where model snapshots live between processors (a restart, a crash, a lease moving, an evicted model). */
public interface ModelStore {

    /** The latest snapshot of a model, if any. */
    Optional<byte[]> load(String key);

    /**
     * Stores a snapshot durably.
     *
     * @throws RuntimeException when it could not be stored (the model is kept in memory then)
     */
    void save(String key, byte[] snapshot);

    /** No persistence: models start fresh (backtests, tests). */
    static ModelStore none() {
        return new ModelStore() {
            @Override
            public Optional<byte[]> load(String key) {
                return Optional.empty();
            }

            @Override
            public void save(String key, byte[] snapshot) {}
        };
    }
}
