package io.tradeanomaly.detector.scoring;

/** A snapshot that cannot be restored (corrupt, truncated, or of another format version). */
public class InvalidSnapshotException extends RuntimeException {

    public InvalidSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
