package io.tradeanomaly.detector.scoring;

import java.util.Optional;

/**
 * Where model snapshots live between processors (a restart, a crash, a lease moving, an evicted model). Writes are
 * conditional on the version last seen, so that a stale owner can never replace a newer snapshot.
 */
public interface ModelStore {

    /** A stored snapshot and its version (S3: the ETag). */
    record Stored(byte[] data, String version) {}

    /**
     * The latest snapshot of a model; empty only when there is none.
     *
     * @throws SnapshotUnavailableException when it cannot be told whether one exists (S3 unavailable, denied): the
     *     caller retries, and never starts a fresh model over one that may exist
     */
    Optional<Stored> load(String key);

    /**
     * Stores a snapshot durably, if the stored one is still {@code expectedVersion} (null: if there is none).
     *
     * @return the new version
     * @throws SnapshotConflictException when another writer stored a snapshot meanwhile
     * @throws RuntimeException when it could not be stored (the caller may retry)
     */
    String save(String key, byte[] snapshot, String expectedVersion);

    /** No persistence: models start fresh (backtests, tests). */
    static ModelStore none() {
        return new ModelStore() {
            @Override
            public Optional<Stored> load(String key) {
                return Optional.empty();
            }

            @Override
            public String save(String key, byte[] snapshot, String expectedVersion) {
                return "none";
            }
        };
    }
}
