package io.tradeanomaly.detector.scoring;

/** Another writer stored a model's snapshot since this one was loaded or saved: this copy of the model is stale. */
public class SnapshotConflictException extends RuntimeException {
    public SnapshotConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
