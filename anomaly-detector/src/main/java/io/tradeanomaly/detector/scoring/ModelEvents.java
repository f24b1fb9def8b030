package io.tradeanomaly.detector.scoring;

/** What happens to models in a scorer's cache, for metrics and logs. */
public interface ModelEvents {

    default void created(String key) {}

    default void restored(String key) {}

    default void unusableSnapshot(String key, InvalidSnapshotException reason) {}

    default void saved(int models) {}

    default void saveFailed(String key, RuntimeException error) {}

    default void evicted(String key) {}

    ModelEvents NONE = new ModelEvents() {};
}
