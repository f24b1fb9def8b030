package io.tradeanomaly.archiver.storage;

import java.util.List;

/** Where archive and error objects are written. */
public interface ObjectStore {

    /**
     * Writes an object; returns only once the store has accepted it.
     *
     * @throws RuntimeException when it was not written (the caller retries)
     */
    void put(String key, byte[] body, boolean gzip);

    /** Keys under a prefix, in key order. */
    List<String> list(String prefix);

    /** An object's content, GZIP-decoded when it was stored compressed. */
    byte[] get(String key);
}
