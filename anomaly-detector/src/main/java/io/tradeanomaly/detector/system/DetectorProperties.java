package io.tradeanomaly.detector.system;

import io.tradeanomaly.common.record.AnomalyLayout;
import io.tradeanomaly.common.record.InputSchema;
import io.tradeanomaly.common.record.JsonRecords;
import io.tradeanomaly.common.trade.PipelineNames;
import io.tradeanomaly.detector.scoring.Method;
import io.tradeanomaly.detector.scoring.ModelKeying;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The detector's configuration ({@code detector.*}, docs/detector.md "Settings"). An unknown or misspelled
 * {@code detector.*} setting stops the start with its name. {@code --detector.method=kda} is exactly KDA's setup.
 *
 * @param sourceStream the input stream it consumes
 * @param anomalyStream the stream anomalies are published to
 * @param applicationName the KCL application (lease table) name
 * @param input what the input records are: the key, the features, the event time (docs/contracts.md, "Any stream")
 * @param output how anomaly records are laid out
 * @param method SURPRISE (each key's recent normal, in decades of surprise), CALIBRATED (each key's learnt normal,
 *     for independent records such as trades) or KDA (exactly Kinesis Data Analytics); unset: {@link
 *     #detectionMethod()}
 * @param model GLOBAL (one forest per shard) or PER_KEY (one per value of the key field); unset: the method's own
 *     (per key for CALIBRATED, one forest per shard for KDA)
 * @param threshold KDA: the fixed threshold; CALIBRATED: the floor of each model's cut-off; SURPRISE: in decades of
 *     surprise; changeable at runtime; unset: the method's own ({@link Method#defaultThreshold()})
 * @param numberOfTrees trees per forest (KDA's numberOfTrees)
 * @param sampleSize points kept per tree (KDA's subSampleSize)
 * @param timeDecay KDA's timeDecay: the number of recent points the sample represents
 * @param shingleSize KDA's shingleSize: consecutive records of a model that form one point (KDA only)
 * @param directionalExplanation KDA's withDirectionality: DIRECTION and STRENGTH in the explanation besides
 *     ATTRIBUTION_SCORE
 * @param outputAfter points a model must see before it gives verdicts (warm-up)
 * @param seed seed of the forests
 * @param sigmas CALIBRATED: the cut-off is the forest's score of a record this many calibrated deviations out in one
 *     feature (4.75: a one-in-a-million record under the key's learnt distribution)
 * @param parallelism threads scoring different models of a batch in parallel; 1 = on the KCL thread
 * @param maxRecordBytes records larger than this are dead-lettered as oversized
 * @param deadLetterBucket bucket of dead letters (default: the archive bucket)
 * @param deadLetterPrefix key prefix of dead letters in that bucket
 * @param recentAnomalies how many recent anomalies {@code GET /api/anomalies} can return
 * @param producerUrl where the live page reaches the producer's REST API (to change the outlier rate) and its
 *     {@code /actuator/prometheus} (for its records per second)
 * @param archiverUrl where the live page reads the archiver's {@code /actuator/prometheus} (anomalies archived,
 *     objects written, lag)
 * @param snapshotBucket bucket of model snapshots (default: the archive bucket)
 * @param snapshotPrefix key prefix of model snapshots; empty turns snapshots off
 * @param snapshotInterval how often a shard's changed models are snapshotted (after a checkpoint)
 * @param snapshotTimeout how long a periodic snapshot may retry its writes before it leaves them to the next one
 * @param finalSnapshotTimeout how long the snapshot at shard end or graceful shutdown may retry its writes; keep it
 *     below {@code pipeline.kcl.shutdown-timeout}
 * @param maxModels models this JVM keeps in memory across all its shard processors (each gets an equal share);
 *     least recently used ones beyond are evicted to their snapshot after each checkpoint and restored on demand
 * @param boundingBoxCacheFraction RCF bounding-box cache: 1 fastest, 0 halves memory per model (many keys)
 * @param settingsBucket bucket of the runtime settings (the threshold) shared by the replicas (default: the archive
 *     bucket)
 * @param settingsKey key of that object; empty keeps the runtime settings in this JVM only
 * @param settingsRefresh how often each replica reads the shared settings (a change made through another replica
 *     applies here within this)
 */
@ConfigurationProperties(prefix = "detector", ignoreUnknownFields = false)
@Validated
public record DetectorProperties(
        @DefaultValue(PipelineNames.TRADES_STREAM) @NotBlank String sourceStream,

        @DefaultValue(PipelineNames.ANOMALIES_STREAM) @NotBlank
        String anomalyStream,

        @DefaultValue(PipelineNames.DETECTOR_APPLICATION) @NotBlank
        String applicationName,

        @DefaultValue @Valid Input input,
        @DefaultValue @Valid Output output,
        Method method,
        ModelKeying model,
        @DecimalMin(value = "0", inclusive = false) Double threshold,

        @DefaultValue("100") @Min(1) @Max(1000) int numberOfTrees,
        @DefaultValue("256") @Min(16) @Max(4096) int sampleSize,
        @DefaultValue("100000") @DecimalMin("1") double timeDecay,
        @DefaultValue("1") @Min(1) @Max(64) int shingleSize,
        @DefaultValue("true") boolean directionalExplanation,
        @DefaultValue("256") @Min(1) int outputAfter,
        @DefaultValue("42") long seed,

        @DefaultValue("4.75") @DecimalMin("1") @DecimalMax("20")
        double sigmas,

        @DefaultValue("2") @Min(1) @Max(64) int parallelism,

        @DefaultValue("" + JsonRecords.DEFAULT_MAX_RECORD_BYTES) @Min(64)
        int maxRecordBytes,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String deadLetterBucket,

        @DefaultValue("errors/anomaly-detector/") String deadLetterPrefix,
        @DefaultValue("1000") @Min(1) @Max(100_000) int recentAnomalies,
        @DefaultValue("http://127.0.0.1:8081") @NotNull URI producerUrl,
        @DefaultValue("http://127.0.0.1:8083") @NotNull URI archiverUrl,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String snapshotBucket,

        @DefaultValue("model-snapshots/anomaly-detector/") String snapshotPrefix,
        @DefaultValue("60s") @NotNull Duration snapshotInterval,
        @DefaultValue("20s") @NotNull Duration snapshotTimeout,
        @DefaultValue("15s") @NotNull Duration finalSnapshotTimeout,
        @DefaultValue("1000") @Min(1) int maxModels,

        @DefaultValue("1.0") @DecimalMin("0") @DecimalMax("1")
        double boundingBoxCacheFraction,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String settingsBucket,

        @DefaultValue("runtime-settings/anomaly-detector.json")
        String settingsKey,

        @DefaultValue("5s") @NotNull Duration settingsRefresh) {

    /**
     * What the input records are ({@code detector.input.*}): the trades of this project's producer by default.
     *
     * @param key the field (dotted path for nested JSON, e.g. {@code device.id}) whose value picks the model; empty:
     *     one model (per shard) for the whole stream
     * @param features comma-separated list of 1 to 32 numeric fields (dotted paths; names may contain spaces)
     * @param time the event-time field (ISO-8601 with or without offset, or epoch seconds or milliseconds, detected);
     *     empty: the Kinesis arrival time
     * @param label a field with a known-anomaly label (true/false or 1/0), used only to measure detection quality
     *     ({@code detector_labelled_records_total}, the backtest's figures); never for scoring; empty: none
     */
    public record Input(
            @DefaultValue(InputSchema.TRADE_KEY) String key,
            @DefaultValue(InputSchema.TRADE_FEATURES) String features,
            @DefaultValue("") String time,
            @DefaultValue(InputSchema.TRADE_LABEL) String label) {}

    /**
     * How anomaly records are laid out ({@code detector.output.*}).
     *
     * @param columns the fields written first, in this order (input fields and the pipeline's own, e.g. {@code
     *     ANOMALY_SCORE}, like a KDA query's SELECT list); the other input fields follow in their order, then the
     *     pipeline's. Unset: the KDA lab's layout for the trade default, the input's own order for any other stream
     */
    public record Output(List<String> columns) {}

    /**
     * The input schema the settings describe.
     *
     * @throws IllegalArgumentException saying which setting is wrong
     */
    public InputSchema schema() {
        return InputSchema.of(input.key(), input.features(), input.time(), input.label());
    }

    /** The layout of anomaly records. */
    public AnomalyLayout layout() {
        return AnomalyLayout.of(schema(), output.columns());
    }

    /** The model keying: as set, else the method's own; one forest per shard when the stream has no key field. */
    public ModelKeying keying() {
        if (input.key() == null || input.key().isBlank()) {
            return ModelKeying.GLOBAL;
        }
        return model != null ? model : detectionMethod().defaultKeying();
    }

    /**
     * The method as set, else the default for the stream described: CALIBRATED for this project's trades (the
     * {@code detector.input.*} defaults: the trade matrix it was built for, docs/quality.md), SURPRISE for any other
     * stream (time series and sensors: the time-series matrix, where CALIBRATED has no context over time).
     */
    public Method detectionMethod() {
        if (method != null) {
            return method;
        }
        InputSchema schema = schema();
        boolean trades = InputSchema.TRADE_KEY.equals(schema.keyName())
                && ScoringSettings.TRADE_FEATURES.equals(schema.featureNames());
        return trades ? Method.CALIBRATED : Method.SURPRISE;
    }

    public ScoringSettings scoring() {
        Method chosen = detectionMethod();
        return new ScoringSettings(
                chosen,
                keying(),
                schema().featureNames(),
                numberOfTrees,
                sampleSize,
                timeDecay,
                shingleSize,
                outputAfter,
                seed,
                threshold != null ? threshold : chosen.defaultThreshold(),
                sigmas,
                directionalExplanation,
                boundingBoxCacheFraction);
    }
}
