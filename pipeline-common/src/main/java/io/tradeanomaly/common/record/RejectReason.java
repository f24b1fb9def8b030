package io.tradeanomaly.common.record;

/**
 * Why a record was refused. The {@link #tag()} is the {@code reason} label of {@code records_rejected_total} and the
 * reason written to the dead-letter destination, so it must stay stable.
 */
public enum RejectReason {
    /** Zero bytes. */
    EMPTY("empty"),
    /** Larger than the configured maximum record size. */
    OVERSIZED("oversized"),
    /** Not UTF-8 JSON at all, or not a JSON object. */
    MALFORMED_JSON("malformed-json"),
    /** Not UTF-8: a byte order mark, UTF-16/UTF-32, or NUL bytes. */
    INVALID_ENCODING("invalid-encoding"),
    /** The same key twice in one JSON object ({@code "id":7,"id":8}): which one is meant cannot be told. */
    DUPLICATE_KEY("duplicate-key"),
    /** A required field is absent or null. */
    MISSING_FIELD("missing-field"),
    /** A field has the wrong JSON type or an unknown enum value. */
    INVALID_FIELD("invalid-field"),
    /** NaN or infinity where a number is expected. */
    NON_FINITE_NUMBER("non-finite-number"),
    /** Zero or negative where a positive number is expected. */
    NON_POSITIVE_NUMBER("non-positive-number"),
    /**
     * A field the archive's output format cannot hold (Parquet: a value its column's type cannot take); Firehose's
     * record format conversion names such failures the same way.
     */
    FORMAT_CONVERSION_FAILED("format-conversion-failed");

    private final String tag;

    RejectReason(String tag) {
        this.tag = tag;
    }

    /** Stable, metric-friendly name of the reason. */
    public String tag() {
        return tag;
    }
}
