package io.tradeanomaly.detector.system;

import io.tradeanomaly.common.trade.PipelineNames;
import io.tradeanomaly.common.trade.RecordCodec;
import io.tradeanomaly.detector.scoring.Features;
import io.tradeanomaly.detector.scoring.ModelKeying;
import io.tradeanomaly.detector.scoring.ScoringSettings;
import io.tradeanomaly.detector.scoring.ThresholdMode;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The detector's configuration ({@code detector.*}). See docs/detector.md for why the defaults differ from KDA's
 * ({@code --detector.model=global --detector.features=raw --detector.threshold-mode=fixed
 * --detector.learn-from-anomalies=true} is KDA).
 *
 * @param sourceStream the trades stream it consumes
 * @param anomalyStream the stream anomalies are published to
 * @param applicationName the KCL application (lease table) name
 * @param model GLOBAL (one forest per shard, KDA) or PER_TICKER
 * @param features RAW (price, quantity) as KDA, or CALIBRATED (each ticker's own learnt distribution; per-ticker
 *     models only)
 * @param thresholdMode FIXED (score &gt; threshold, KDA) or ADAPTIVE (each model's own cut-off; calibrated features
 *     only)
 * @param threshold fixed threshold, or floor of the adaptive cut-off; changeable at runtime over REST
 * @param numberOfTrees trees per forest
 * @param sampleSize points kept per tree
 * @param timeDecay KDA's time decay: the number of recent points the sample represents
 * @param outputAfter points a model must see before it gives verdicts (warm-up)
 * @param seed seed of the forests
 * @param sigmas adaptive cut-off: the forest's score of a trade this many calibrated deviations out in one feature
 *     (4.75: a one-in-a-million trade under the ticker's learnt distribution)
 * @param learnFromAnomalies whether trades judged anomalous update the forest (KDA: true)
 * @param parallelism threads scoring different models of a batch in parallel; 1 = on the KCL thread
 * @param maxRecordBytes records larger than this are dead-lettered as oversized
 * @param deadLetterBucket bucket of dead letters (default: the archive bucket)
 * @param deadLetterPrefix key prefix of dead letters in that bucket
 * @param recentAnomalies how many recent anomalies {@code GET /api/anomalies} can return
 * @param producerUrl where the live page reaches the producer's REST API (to change the outlier rate) and its
 *     {@code /actuator/prometheus} (for its trades per second)
 * @param archiverUrl where the live page reads the archiver's {@code /actuator/prometheus} (anomalies archived,
 *     objects written, lag)
 * @param snapshotBucket bucket of model snapshots (default: the archive bucket)
 * @param snapshotPrefix key prefix of model snapshots; empty turns snapshots off
 * @param snapshotInterval how often a shard's changed models are snapshotted (after a checkpoint)
 * @param boundingBoxCacheFraction RCF bounding-box cache: 1 fastest, 0 halves memory per model (many tickers)
 * @param snapshotTimeout how long a periodic snapshot may retry its writes before it leaves them to the next one
 * @param finalSnapshotTimeout how long the snapshot at shard end or graceful shutdown may retry its writes; keep it
 *     below {@code pipeline.kcl.shutdown-timeout}
 * @param maxModels models this JVM keeps in memory across all its shard processors (each gets an equal share);
 *     least recently used ones beyond are evicted to their snapshot after each checkpoint and restored on demand
 * @param settingsBucket bucket of the runtime settings (the threshold) shared by the replicas (default: the archive
 *     bucket)
 * @param settingsKey key of that object; empty keeps the runtime settings in this JVM only
 * @param settingsRefresh how often each replica reads the shared settings (a change made through another replica
 *     applies here within this)
 */
@ConfigurationProperties("detector")
@Validated
public record DetectorProperties(
        @DefaultValue(PipelineNames.TRADES_STREAM) @NotBlank String sourceStream,

        @DefaultValue(PipelineNames.ANOMALIES_STREAM) @NotBlank
        String anomalyStream,

        @DefaultValue(PipelineNames.DETECTOR_APPLICATION) @NotBlank
        String applicationName,

        @DefaultValue("PER_TICKER") @NotNull ModelKeying model,
        @DefaultValue("CALIBRATED") @NotNull Features features,
        @DefaultValue("ADAPTIVE") @NotNull ThresholdMode thresholdMode,

        @DefaultValue("1.0") @DecimalMin(value = "0", inclusive = false)
        double threshold,

        @DefaultValue("100") @Min(1) @Max(1000) int numberOfTrees,
        @DefaultValue("256") @Min(16) @Max(4096) int sampleSize,
        @DefaultValue("100000") @DecimalMin("1") double timeDecay,
        @DefaultValue("256") @Min(1) int outputAfter,
        @DefaultValue("42") long seed,

        @DefaultValue("4.75") @DecimalMin("1") @jakarta.validation.constraints.DecimalMax("20")
        double sigmas,

        @DefaultValue("false") boolean learnFromAnomalies,
        @DefaultValue("2") @Min(1) @Max(64) int parallelism,

        @DefaultValue("" + RecordCodec.DEFAULT_MAX_RECORD_BYTES) @Min(64)
        int maxRecordBytes,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String deadLetterBucket,

        @DefaultValue("errors/anomaly-detector/") String deadLetterPrefix,
        @DefaultValue("1000") @Min(1) @Max(100_000) int recentAnomalies,
        @DefaultValue("http://127.0.0.1:8081") @NotNull java.net.URI producerUrl,
        @DefaultValue("http://127.0.0.1:8083") @NotNull java.net.URI archiverUrl,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String snapshotBucket,

        @DefaultValue("model-snapshots/anomaly-detector/") String snapshotPrefix,
        @DefaultValue("60s") @NotNull java.time.Duration snapshotInterval,
        @DefaultValue("20s") @NotNull java.time.Duration snapshotTimeout,
        @DefaultValue("15s") @NotNull java.time.Duration finalSnapshotTimeout,
        @DefaultValue("1000") @Min(1) int maxModels,

        @DefaultValue("1.0") @DecimalMin("0") @jakarta.validation.constraints.DecimalMax("1")
        double boundingBoxCacheFraction,

        @DefaultValue(PipelineNames.ARCHIVE_BUCKET) @NotBlank
        String settingsBucket,

        @DefaultValue("runtime-settings/anomaly-detector.json")
        String settingsKey,

        @DefaultValue("5s") @NotNull java.time.Duration settingsRefresh) {

    public ScoringSettings scoring() {
        return new ScoringSettings(
                model,
                features,
                numberOfTrees,
                sampleSize,
                timeDecay,
                outputAfter,
                seed,
                thresholdMode,
                threshold,
                sigmas,
                learnFromAnomalies,
                boundingBoxCacheFraction);
    }

    /** Calibrated features need per-ticker models; the adaptive cut-off needs calibrated features. */
    @AssertTrue(
            message =
                    "model, features and threshold-mode do not fit together (see the settings table of docs/detector.md)")
    public boolean isConsistent() {
        return model == null
                || features == null
                || thresholdMode == null
                || ScoringSettings.problem(model, features, thresholdMode) == null;
    }
}
