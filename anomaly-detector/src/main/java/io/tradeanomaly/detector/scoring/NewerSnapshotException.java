package io.tradeanomaly.detector.scoring;

/**
 * A snapshot written by a newer build (a higher snapshot format) than this one: during a rolling update with two
 * versions running, the older one cannot restore it, and must never replace it with a model of its own.
 */
public class NewerSnapshotException extends IncompatibleSnapshotException {

    public NewerSnapshotException(String message) {
        super(message);
    }
}
