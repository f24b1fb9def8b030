package io.tradeanomaly.query;

/** A query that cannot be answered, with a message for the person who asked (no stack trace needed). */
final class ArchiveQueryException extends RuntimeException {

    ArchiveQueryException(String message) {
        super(message);
    }

    ArchiveQueryException(String message, Throwable cause) {
        super(message, cause);
    }
}
