package io.tradeanomaly.archiver.system;

import io.tradeanomaly.archiver.partitioning.PartitionSettings;
import io.tradeanomaly.common.trade.PipelineNames;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
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
 * @param maxObjectBytes roll an object before it exceeds this many uncompressed bytes (Firehose's buffer size)
 * @param maxObjectRecords roll an object when it holds this many records
 * @param grace how long after its minute an object waits for late records of that minute
 * @param compression NONE or GZIP ({@code .json.gz}, {@code Content-Encoding: gzip})
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

        @DefaultValue("5242880") @Min(1024) @Max(1_073_741_824)
        long maxObjectBytes,

        @DefaultValue("100000") @Min(1) int maxObjectRecords,
        @DefaultValue("10s") @NotNull Duration grace,
        @DefaultValue("NONE") @NotNull Compression compression,
        @DefaultValue("10m") @NotNull Duration dedupeHorizon,
        @DefaultValue("65536") @Min(256) int maxRecordBytes,
        @DefaultValue("60s") @NotNull Duration unhealthyAfter) {

    /** Object compression. */
    public enum Compression {
        NONE,
        GZIP
    }

    public PartitionSettings partitioning() {
        return new PartitionSettings(maxObjectBytes, maxObjectRecords, grace);
    }
}
