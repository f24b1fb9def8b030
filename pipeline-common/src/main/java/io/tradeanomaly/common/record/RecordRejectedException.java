package io.tradeanomaly.common.record;

/** A record that cannot be decoded into a valid {@link Trade} or {@link Anomaly}, with the reason why. */
public class RecordRejectedException extends RuntimeException {

    private final RejectReason reason;

    public RecordRejectedException(RejectReason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public RecordRejectedException(RejectReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public RejectReason reason() {
        return reason;
    }
}
