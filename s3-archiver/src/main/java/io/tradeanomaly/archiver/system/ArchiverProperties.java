package io.tradeanomaly.archiver.system;

import io.tradeanomaly.archiver.parquet.ParquetLineFormat;
import io.tradeanomaly.archiver.parquet.ParquetSchema;
import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.common.s3.LineFormat;
import io.tradeanomaly.common.trade.PipelineNames;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The archiver's configuration ({@code archiver.*}).
 *
 * @param stream the anomalies stream it consumes
 * @param applicationName the KCL application (lease table) name
 * @param bucket the archive bucket
 * @param prefix key prefix of archive objects (Firehose's "S3 prefix"), e.g. {@code anomalies/}; empty = bucket root
 * @param errorPrefix key prefix of records that cannot be archived
 * @param name the name part of object keys (Firehose uses the delivery stream name)
 * @param version the version part of object keys
 * @param bufferInterval Firehose's buffer interval, 60 s to 900 s: an object holds the records that arrived in one
 *     window of this length, aligned to the UTC hour (arrival time on the anomalies stream, never the wall clock)
 * @param bufferSize Firehose's buffer size, 1 MB to 128 MB (MiB, as Firehose counts): roll an object before its records
 *     would exceed this many bytes (uncompressed JSON lines)
 * @param maxObjectRecords roll an object when it holds this many records
 * @param grace at the stream's tip, how long after its window an object waits for late records of that window
 * @param compression NONE or GZIP ({@code .json.gz}, {@code Content-Encoding: gzip}); NONE with PARQUET, which
 *     compresses its pages itself
 * @param format JSON (newline-delimited) or PARQUET (Firehose's record format conversion: {@code .parquet} objects of
 *     the {@code parquetColumns})
 * @param parquetColumns the Parquet objects' columns as the Athena table's column list (Hive types); by default the
 *     trade anomalies' table of docs/archiver.md
 * @param dedupeHorizon an anomaly identity is remembered for this span of its source shard's own time (the source records'
 *     arrival on the trades stream, not the wall clock): a republished anomaly is dropped however long its detector
 *     was down
 * @param maxRecordBytes larger records are refused as oversized
 * @param unhealthyAfter health turns DOWN when S3 has been failing for longer than this
 */
@ConfigurationProperties("archiver")
@Validated
public record ArchiverProperties(
        @DefaultValue(PipelineNames.ANOMALIES_STREAM) @NotBlank
        String stream,

        @DefaultValue(PipelineNames.ARCHIVER_APPLICATION) @NotBlank
        String applicationName,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String bucket,

        @DefaultValue("") String prefix,
        @DefaultValue("errors/s3-archiver/") @NotBlank String errorPrefix,

        @DefaultValue(PipelineNames.ANOMALIES_STREAM) @NotBlank
        String name,

        @DefaultValue("1") @NotBlank String version,

        @DefaultValue("60s") @NotNull @DurationMin(seconds = 60) @DurationMax(seconds = 900)
        Duration bufferInterval,

        @DefaultValue("5MB") @NotNull DataSize bufferSize,

        @DefaultValue("100000") @Min(1) int maxObjectRecords,
        @DefaultValue("10s") @NotNull Duration grace,
        @DefaultValue("NONE") @NotNull Compression compression,
        @DefaultValue("JSON") @NotNull Format format,
        @DefaultValue(TRADE_COLUMNS) @NotBlank String parquetColumns,
        @DefaultValue("10m") @NotNull Duration dedupeHorizon,
        @DefaultValue("65536") @Min(256) int maxRecordBytes,
        @DefaultValue("60s") @NotNull Duration unhealthyAfter) {

    /** Object compression. */
    public enum Compression {
        NONE,
        GZIP
    }

    /** Object format. */
    public enum Format {
        JSON,
        PARQUET
    }

    /** The trade anomalies' columns, as the Athena table of docs/archiver.md has them. */
    public static final String TRADE_COLUMNS = "tickerSymbol string, tradeType string, price double, quantity bigint,"
            + " id bigint, ANOMALY_SCORE double,"
            + " ANOMALY_EXPLANATION struct<price:struct<DIRECTION:string,STRENGTH:double,ATTRIBUTION_SCORE:double,"
            + "EXPECTED:double>,quantity:struct<DIRECTION:string,STRENGTH:double,ATTRIBUTION_SCORE:double,"
            + "EXPECTED:double>>,"
            + " tradeTime string, detectedAt string, injected boolean, sourceShardId string,"
            + " sourceSequenceNumber string, sourceSubSequenceNumber bigint, arrivalTime string";

    /** Firehose's range of buffer sizes. */
    static final DataSize MIN_BUFFER_SIZE = DataSize.ofMegabytes(1);

    static final DataSize MAX_BUFFER_SIZE = DataSize.ofMegabytes(128);

    /** The buffer size is within Firehose's range (a DataSize has no constraint of its own). */
    @AssertTrue(message = "archiver.buffer-size must be 1MB to 128MB (Firehose's range)")
    public boolean isBufferSizeWithinFirehoseRange() {
        return bufferSize == null
                || bufferSize.compareTo(MIN_BUFFER_SIZE) >= 0 && bufferSize.compareTo(MAX_BUFFER_SIZE) <= 0;
    }

    /** A whole number of seconds, as Firehose's interval: window boundaries fall on seconds. */
    @AssertTrue(message = "archiver.buffer-interval must be a whole number of seconds")
    public boolean isBufferIntervalWholeSeconds() {
        return bufferInterval == null || bufferInterval.toMillis() % 1000 == 0;
    }

    /** Parquet compresses its own pages (SNAPPY), as Firehose's record format conversion does. */
    @AssertTrue(
            message = "archiver.compression must be NONE with archiver.format=PARQUET (Parquet compresses its pages)")
    public boolean isCompressionNoneWithParquet() {
        return format != Format.PARQUET || compression != Compression.GZIP;
    }

    /** The Parquet columns parse, and hold what the archiver reads back (checked at start when the format is PARQUET). */
    @AssertTrue(
            message = "archiver.parquet-columns must be a Hive column list with sourceShardId string,"
                    + " sourceSequenceNumber string, sourceSubSequenceNumber bigint and arrivalTime string")
    public boolean isParquetColumnsValid() {
        if (format != Format.PARQUET) {
            return true;
        }
        try {
            ParquetSchema.parse(parquetColumns);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The format objects are written in. */
    public LineFormat objectFormat() {
        return format == Format.PARQUET
                ? new ParquetLineFormat(ParquetSchema.parse(parquetColumns))
                : LineFormat.ndjson(compression == Compression.GZIP);
    }

    public PartitionSettings partitioning() {
        return new PartitionSettings(bufferSize.toBytes(), maxObjectRecords, bufferInterval, grace);
    }
}
