package io.tradeanomaly.common.settings;

import java.util.Optional;

/**
 * Where a service's runtime settings are kept for all its replicas: one small document with a version that changes
 * on every write. Writes are compare-and-set, so two changes made at once through two replicas cannot interleave.
 */
public interface SettingsDocument {

    /**
     * A stored document.
     *
     * @param body the document's bytes
     * @param version its version (S3: the ETag), to make the next write conditional on
     */
    record Stored(byte[] body, String version) {}

    /**
     * The stored document, or empty when none was written yet.
     *
     * @throws SettingsUnavailableException when the store cannot tell
     */
    Optional<Stored> read();

    /**
     * Writes the document if the stored one is still {@code expectedVersion} (null: if none is stored yet).
     *
     * @return the new version
     * @throws VersionConflictException when another write came first
     * @throws SettingsUnavailableException when the store cannot be written
     */
    String write(byte[] body, String expectedVersion);

    /** Another write came first: read again and retry on the fresh document. */
    final class VersionConflictException extends RuntimeException {
        public VersionConflictException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A document in this JVM's memory only (settings not shared: one replica, or a test). */
    static SettingsDocument inMemory() {
        return new SettingsDocument() {
            private Stored stored;
            private long writes;

            @Override
            public synchronized Optional<Stored> read() {
                return Optional.ofNullable(stored);
            }

            @Override
            public synchronized String write(byte[] body, String expectedVersion) {
                String current = stored == null ? null : stored.version();
                if (!java.util.Objects.equals(current, expectedVersion)) {
                    throw new VersionConflictException("written meanwhile", null);
                }
                stored = new Stored(body.clone(), Long.toString(++writes));
                return stored.version();
            }
        };
    }
}
