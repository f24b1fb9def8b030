package io.tradeanomaly.common.s3;

import java.util.List;
import java.util.function.Function;

/**
 * Objects of lines (newline-delimited JSON, or another {@link LineFormat} such as the archiver's Parquet) that no writer
 * can make lose a line another stored ({@link S3NdjsonStore}): a write leaves the object holding every line it held and
 * every line written, each identity once.
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

    /**
     * Stores the lines under the key in the given format, merged by identity with whatever the object already holds. A
     * store that knows only newline-delimited JSON takes {@link LineFormat.Ndjson} alone.
     *
     * @throws RuntimeException when the store fails (the caller retries)
     */
    default Outcome write(String key, List<byte[]> lines, LineFormat format, Function<byte[], String> identity) {
        if (format instanceof LineFormat.Ndjson ndjson) {
            return write(key, lines, ndjson.gzip(), identity);
        }
        throw new UnsupportedOperationException(getClass().getName() + " stores newline-delimited JSON only");
    }

    /** Keys under a prefix, in key order (folder markers left out). */
    List<String> list(String prefix);

    /** An object's content, GZIP-decoded when it is stored compressed. */
    byte[] read(String key);

    /**
     * An object's lines, read in the given format.
     *
     * @throws LineFormat.UnreadableObjectException when the object is not of that format
     */
    default List<byte[]> readLines(String key, LineFormat format) {
        return format.decode(read(key));
    }
}
