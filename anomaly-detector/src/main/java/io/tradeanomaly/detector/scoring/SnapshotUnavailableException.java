package io.tradeanomaly.detector.scoring;

/** Whether a model's snapshot exists cannot be told now (the store failed or refused to answer). */
public class SnapshotUnavailableException extends RuntimeException {
    public SnapshotUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
