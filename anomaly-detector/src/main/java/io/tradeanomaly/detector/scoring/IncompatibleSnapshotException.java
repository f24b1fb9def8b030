package io.tradeanomaly.detector.scoring;

/**
 * A snapshot that is intact but was written under other model-shaping settings (trees, sample size, features, ...) or
 * by a build with another snapshot format: restoring it would give a model unlike the configured ones. The scorer
 * starts such a model afresh, like any unusable snapshot; the message names what differs.
 */
public class IncompatibleSnapshotException extends InvalidSnapshotException {

    public IncompatibleSnapshotException(String message) {
        super(message, null);
    }
}
