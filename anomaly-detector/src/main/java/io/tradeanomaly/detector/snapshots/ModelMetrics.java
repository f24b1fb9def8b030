package io.tradeanomaly.detector.snapshots;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tradeanomaly.detector.scoring.InvalidSnapshotException;
import io.tradeanomaly.detector.scoring.ModelEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Model life-cycle events as metrics ({@code detector_model_events_total{event}}) and log lines. */
public class ModelMetrics implements ModelEvents {

    private static final Logger log = LoggerFactory.getLogger(ModelMetrics.class);

    private final Counter created;
    private final Counter restored;
    private final Counter unusable;
    private final Counter saved;
    private final Counter saveFailed;
    private final Counter evicted;
    private final Counter evictedUnsaved;
    private final Counter conflict;
    private final Counter ahead;

    public ModelMetrics(MeterRegistry registry) {
        this.created = counter(registry, "created");
        this.restored = counter(registry, "restored");
        this.unusable = counter(registry, "unusable-snapshot");
        this.saved = counter(registry, "saved");
        this.saveFailed = counter(registry, "save-failed");
        this.evicted = counter(registry, "evicted");
        this.evictedUnsaved = counter(registry, "evicted-unsaved");
        this.conflict = counter(registry, "snapshot-conflict");
        this.ahead = counter(registry, "snapshot-ahead");
    }

    private static Counter counter(MeterRegistry registry, String event) {
        return Counter.builder("detector.model.events")
                .description(
                        "Models created fresh, restored from or saved to their snapshot, evicted, and snapshot trouble")
                .tag("event", event)
                .register(registry);
    }

    @Override
    public void created(String key) {
        created.increment();
    }

    @Override
    public void restored(String key) {
        restored.increment();
        log.info("Model {} restored from its snapshot: no new warm-up", key);
    }

    @Override
    public void unusableSnapshot(String key, InvalidSnapshotException reason) {
        unusable.increment();
        log.warn(
                "Ignoring the snapshot of model {} ({}); starting it fresh, its next snapshot replaces this one",
                key,
                reason.getMessage());
    }

    @Override
    public void snapshotAhead(String key, String snapshotPosition, String startPosition) {
        ahead.increment();
        log.warn(
                "The snapshot of model {} was taken at {}, after this shard's checkpoint {}: the records in between"
                        + " are learnt again",
                key,
                snapshotPosition,
                startPosition);
    }

    @Override
    public void snapshotConflict(String key) {
        conflict.increment();
        log.warn("The snapshot of model {} was written by another owner meanwhile; restoring it from there", key);
    }

    @Override
    public void evictedUnsaved(String key) {
        evictedUnsaved.increment();
        log.warn("Model {} evicted although its snapshot failed (memory bound); it resumes from its last one", key);
    }

    @Override
    public void saved(int models) {
        saved.increment(models);
    }

    @Override
    public void saveFailed(String key, RuntimeException error) {
        saveFailed.increment();
        log.warn("Snapshot of model {} failed: {}; keeping it in memory", key, error.toString());
    }

    @Override
    public void evicted(String key) {
        evicted.increment();
    }
}
