package io.tradeanomaly.detector.scoring;

/** What happens to models in a scorer's cache, for metrics and logs. */
public interface ModelEvents {

    default void created(String key) {}

    default void restored(String key) {}

    default void unusableSnapshot(String key, InvalidSnapshotException reason) {}

    /** A snapshot taken further along this shard than where processing restarts (should not happen). */
    default void snapshotAhead(String key, String snapshotPosition, String startPosition) {}

    default void saved(int models) {}

    default void saveFailed(String key, RuntimeException error) {}

    /** Another owner stored the model's snapshot meanwhile: this copy is dropped and restored from it on next use. */
    default void snapshotConflict(String key) {}

    default void evicted(String key) {}

    /** Evicted to keep memory bounded although its snapshot failed: it resumes from its last stored snapshot. */
    default void evictedUnsaved(String key) {}

    ModelEvents NONE = new ModelEvents() {};
}
