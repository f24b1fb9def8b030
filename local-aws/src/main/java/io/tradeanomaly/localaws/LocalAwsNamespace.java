package io.tradeanomaly.localaws;

import io.tradeanomaly.common.trade.PipelineNames;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The names of one pipeline's resources on the local stack. The run command uses the defaults of docs/contracts.md; each
 * integration-test class gets its own suffixed set, so that tests sharing one stack never see each other's data.
 *
 * @param tradesStream the trades stream (2 shards)
 * @param anomaliesStream the anomalies stream (1 shard)
 * @param bucket the archive bucket
 * @param detectorApplication the detector's KCL application (lease table) name
 * @param archiverApplication the archiver's KCL application (lease table) name
 */
public record LocalAwsNamespace(
        String tradesStream,
        String anomaliesStream,
        String bucket,
        String detectorApplication,
        String archiverApplication) {

    /** The default names of docs/contracts.md. */
    public static LocalAwsNamespace defaults() {
        return new LocalAwsNamespace(
                PipelineNames.TRADES_STREAM,
                PipelineNames.ANOMALIES_STREAM,
                PipelineNames.ARCHIVE_BUCKET,
                PipelineNames.DETECTOR_APPLICATION,
                PipelineNames.ARCHIVER_APPLICATION);
    }

    private static final java.util.regex.Pattern ISOLATED = java.util.regex.Pattern.compile(
            "-[a-z0-9-]{1,24}?-[a-z0-9]{1,3}" + "(?=$|[/\\s]|-CoordinatorState|-WorkerMetricStats)");

    /**
     * The default name a resource name of an isolated namespace stands for, inside any text (an ARN, a key): {@code
     * stock-trades-detectorit-x1z} is {@code stock-trades}, {@code archive-detectorit-x1z} is
     * {@code anomalous-trades-archive}, {@code anomaly-detector-detectorit-x1z-CoordinatorState} is
     * {@code anomaly-detector-CoordinatorState}. For checking what tests called against policies written for the
     * defaults.
     */
    public static String defaultNamesIn(String text) {
        String result = text;
        for (String name : new String[] {
            PipelineNames.TRADES_STREAM,
            PipelineNames.ANOMALIES_STREAM,
            PipelineNames.DETECTOR_APPLICATION,
            PipelineNames.ARCHIVER_APPLICATION
        }) {
            result = java.util.regex.Pattern.compile(
                            "(?<=[/:])" + java.util.regex.Pattern.quote(name) + ISOLATED.pattern())
                    .matcher(result)
                    .replaceAll(name);
        }
        return java.util.regex.Pattern.compile("(?<=[/:])archive" + ISOLATED.pattern())
                .matcher(result)
                .replaceAll(PipelineNames.ARCHIVE_BUCKET);
    }

    /** Names no other namespace uses, derived from a label such as a test class name. */
    public static LocalAwsNamespace isolated(String label) {
        String slug =
                label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 24) {
            slug = slug.substring(0, 24);
        }
        String suffix =
                "-" + slug + "-" + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        return new LocalAwsNamespace(
                PipelineNames.TRADES_STREAM + suffix,
                PipelineNames.ANOMALIES_STREAM + suffix,
                "archive" + suffix,
                PipelineNames.DETECTOR_APPLICATION + suffix,
                PipelineNames.ARCHIVER_APPLICATION + suffix);
    }
}
