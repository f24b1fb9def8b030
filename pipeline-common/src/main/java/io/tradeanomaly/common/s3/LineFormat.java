package io.tradeanomaly.common.s3;

import java.util.List;

/**
 * How an object's lines (one JSON record each) are stored: the body they make, its content type, its key's extension,
 * and whether the store compresses it ({@code Content-Encoding: gzip}). The store merges objects line by line whatever
 * the format ({@link LineMerge}), so a format needs only to turn lines into a body and back; for the merge to rebuild
 * identical objects, {@code encode(decode(encode(lines)))} must equal {@code encode(lines)} byte for byte.
 */
public interface LineFormat {

    /** Newline-delimited JSON. */
    LineFormat NDJSON = new Ndjson(false);

    /** Newline-delimited JSON, GZIP-compressed. */
    LineFormat NDJSON_GZIP = new Ndjson(true);

    /** Newline-delimited JSON, compressed or not. */
    static LineFormat ndjson(boolean gzip) {
        return gzip ? NDJSON_GZIP : NDJSON;
    }

    String contentType();

    /** The end of the keys of objects in this format, e.g. {@code .json.gz}. */
    String extension();

    /** True when the store GZIP-compresses the body and sets {@code Content-Encoding: gzip}. */
    boolean gzip();

    /** The body that holds these lines (before any content encoding). */
    byte[] encode(List<byte[]> lines);

    /**
     * The lines a body holds (after its content encoding is undone).
     *
     * @throws UnreadableObjectException when the body is not of this format
     */
    List<byte[]> decode(byte[] body);

    /**
     * The line as this format holds it: what {@link #decode} gives back for it, so that the lines a writer buffers and
     * the lines read back from a stored object have the same identities. Newline-delimited JSON holds every line as it
     * is; a format with a schema projects it onto its columns. The caller passes each record through this before it
     * is buffered, so that an object never fails to encode.
     *
     * @throws IllegalArgumentException why this format cannot hold the line (a field of a type its schema cannot take)
     */
    default byte[] conform(byte[] line) {
        return line;
    }

    /** A stored body that is not of the format its key says. */
    final class UnreadableObjectException extends RuntimeException {
        public UnreadableObjectException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Newline-delimited JSON: each line followed by a newline; any body is readable. */
    record Ndjson(boolean gzip) implements LineFormat {

        @Override
        public String contentType() {
            return "application/x-ndjson";
        }

        @Override
        public String extension() {
            return gzip ? ".json.gz" : ".json";
        }

        @Override
        public byte[] encode(List<byte[]> lines) {
            return LineMerge.join(lines);
        }

        @Override
        public List<byte[]> decode(byte[] body) {
            return LineMerge.lines(body);
        }
    }
}
