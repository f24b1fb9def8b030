package io.tradeanomaly.common.settings;

/**
 * A change lost the race against other changes made at the same time through other replicas, every attempt; answered
 * 409, nothing was changed.
 */
public class SettingsConflictException extends RuntimeException {

    public SettingsConflictException(String message, Throwable cause) {
        super(message, cause);
    }
}
