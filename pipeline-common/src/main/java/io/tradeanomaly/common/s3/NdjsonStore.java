package io.tradeanomaly.common.s3;

import java.util.List;
import java.util.function.Function;

/**
 * Newline-delimited JSON objects that no writer can make lose a line another stored ({@link S3NdjsonStore}): a write
 * leaves the object holding every line it held and every line written, each identity once.
 */
public interface NdjsonStore {

    /** What a write did. */
    enum Outcome {
        /** The object did not exist and now holds the lines. */
        CREATED,
        /** The object existed and now holds its lines and the new ones. */
        MERGED,
        /** The object already held every line's identity: nothing written. */
        UNCHANGED
    }

    /**
     * Stores the lines under the key, merged by identity with whatever the object already holds.
     *
     * @throws RuntimeException when the store fails (the caller retries)
     */
    Outcome write(String key, List<byte[]> lines, boolean gzip, Function<byte[], String> identity);

    /** Keys under a prefix, in key order (folder markers left out). */
    List<String> list(String prefix);

    /** An object's content, GZIP-decoded when it is stored compressed. */
    byte[] read(String key);
}
