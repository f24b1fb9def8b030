package io.tradeanomaly.common.settings;

/** The shared settings cannot be read or written now (S3 failing); answered 503, nothing was changed. */
public class SettingsUnavailableException extends RuntimeException {

    public SettingsUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
